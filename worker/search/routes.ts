/** GET /api/search?q=&kind=&limit= — typeahead and search page over the catalog. */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../env";
import { authorize } from "../access";
import { cachedRead, readDb } from "../catalog/read-cache";
import { jsonText, validQuery } from "../http";
import { firstParam, intParam, textParam } from "../catalog/query";
import { searchCatalog } from "./store";

/** Longer search text is cut, not refused: the box sends whatever was typed. */
const MAX_SEARCH_CHARS = 200;

const searchQuery = v.object({
  q: v.pipe(
    v.optional(firstParam("q"), ""),
    v.transform((s) => s.slice(0, MAX_SEARCH_CHARS)),
    v.check((s) => s.trim().length > 0, "Missing search text: pass ?q=<text>"),
  ),
  kind: textParam("kind"),
  limit: intParam("limit", { min: 1, max: 100 }),
});

export const searchRoutes = new Hono<AppEnv>().get("/", authorize("catalog.entity.read"), validQuery(searchQuery), cachedRead(), async (c) => {
  const { q, kind, limit } = c.req.valid("query");
  return jsonText(c, JSON.stringify(await searchCatalog(readDb(c), { text: q, kind, limit: limit ?? 20 })));
});
