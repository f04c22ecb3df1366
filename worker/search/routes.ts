/**
 * GET /api/search?q=&kind=&limit= — typeahead and search page over the catalog.
 * GET /api/search/documents?q=&limit=&plugin= — the plugins' documents (TechDocs pages, ...) for the same text,
 * grouped by plugin: `{ groups: [{ plugin: { id, title }, items: [{ id, entityRef, title, section, path,
 * snippet }] }] }`, at most `limit` (default 5, ≤ 20) per plugin, only for entities the caller may read.
 * Not behind the catalog read cache: plugin documents change without the catalog version moving.
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../env";
import { authorize } from "../access";
import { cachedRead, readDb } from "../catalog/read-cache";
import { jsonText, validQuery } from "../http";
import { firstParam, intParam, textParam } from "../catalog/query";
import { searchCatalog } from "./store";
import { searchPluginDocuments } from "../plugins/search/global";

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

const documentsQuery = v.object({
  q: searchQuery.entries.q,
  limit: intParam("limit", { min: 1, max: 20 }),
  plugin: textParam("plugin"),
});

export const searchRoutes = new Hono<AppEnv>()
  .get("/", authorize("catalog.entity.read"), validQuery(searchQuery), cachedRead(), async (c) => {
    const { q, kind, limit } = c.req.valid("query");
    return jsonText(c, JSON.stringify(await searchCatalog(readDb(c), { text: q, kind, limit: limit ?? 20 })));
  })
  .get("/documents", authorize("catalog.entity.read"), validQuery(documentsQuery), async (c) => {
    const { q, limit, plugin } = c.req.valid("query");
    const installed = c.get("plugins") ?? [];
    const plugins = plugin === undefined ? installed : installed.filter((p) => p.manifest.id === plugin);
    return c.json({ groups: await searchPluginDocuments(c.env.DB, plugins, q, limit ?? 5) });
  });
