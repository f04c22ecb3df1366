/** GET /api/search?q=&kind=&limit= — typeahead and search page over the catalog. */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { authorize } from "../access";
import { cachedRead, readDb } from "../catalog/read-cache";
import { ApiError } from "../errors";
import { jsonText } from "../http";
import { parseIntParam } from "../catalog/query";
import { searchCatalog } from "./store";

export const searchRoutes = new Hono<AppEnv>().get("/", authorize("catalog.entity.read"), cachedRead(), async (c) => {
  const text = (c.req.query("q") ?? "").slice(0, 200);
  if (!text.trim()) throw new ApiError("InputError", "Missing search text: pass ?q=<text>");
  const limit = parseIntParam(c.req.query("limit"), "limit", { min: 1, max: 100 }) ?? 20;
  return jsonText(c, JSON.stringify(await searchCatalog(readDb(c), { text, kind: c.req.query("kind") || undefined, limit })));
});
