/**
 * Portal search over the catalog's FTS5 trigram index, with highlighted matches. Terms shorter than three
 * characters cannot use trigrams, so they fall back to a prefix match on name and title.
 */
import type { SearchItem } from "../../contract/catalog-api";

/** The API's shape (contract/catalog-api.ts), which the portal reads too. */
export type SearchHit = SearchItem;

const OPEN = "\u0001";
const CLOSE = "\u0002";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Escapes the text, then turns the FTS markers into <mark> tags; null when nothing matched in it. */
function markup(s: string | null): string | undefined {
  if (!s || !s.includes(OPEN)) return undefined;
  return escapeHtml(s).replaceAll(OPEN, "<mark>").replaceAll(CLOSE, "</mark>");
}

export async function searchCatalog(db: D1Database, q: { text: string; kind?: string; limit: number }): Promise<{ items: SearchHit[]; total: number }> {
  const words = q.text.trim().split(/\s+/).filter((w) => [...w].length >= 3);
  const kindFilter = q.kind ? " AND lower(e.kind) = ?" : "";
  const kindParams = q.kind ? [q.kind.toLowerCase()] : [];
  if (!words.length) {
    const prefix = `${q.text.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = `(lower(e.name) LIKE ?1 ESCAPE '\\' OR lower(e.title) LIKE ?1 ESCAPE '\\')${kindFilter.replace("?", "?2")}`;
    const [rows, count] = await db.batch([
      db.prepare(`SELECT e.ref, e.kind, e.namespace, e.name, e.title, e.description FROM entities e WHERE ${where} ORDER BY e.name LIMIT ?${q.kind ? 3 : 2}`).bind(prefix, ...kindParams, q.limit),
      db.prepare(`SELECT count(*) AS n FROM entities e WHERE ${where}`).bind(prefix, ...kindParams),
    ]);
    const items = (rows.results as Omit<SearchHit, "highlights">[]).map((r) => ({ ...r, highlights: {} }));
    return { items, total: (count.results[0] as { n: number }).n };
  }
  const match = words.map((w) => `"${w.replaceAll('"', '""')}"`).join(" AND ");
  const [rows, count] = await db.batch([
    db
      .prepare(
        `SELECT e.ref, e.kind, e.namespace, e.name, e.title, e.description,
           highlight(entities_fts, 0, ?1, ?2) AS hName, highlight(entities_fts, 1, ?1, ?2) AS hTitle,
           snippet(entities_fts, 2, ?1, ?2, '…', 24) AS hDescription, highlight(entities_fts, 3, ?1, ?2) AS hTags
         FROM entities_fts JOIN entities e ON e.id = entities_fts.rowid
         WHERE entities_fts MATCH ?3${kindFilter.replace("?", "?5")} ORDER BY rank LIMIT ?4`,
      )
      .bind(OPEN, CLOSE, match, q.limit, ...kindParams),
    db.prepare(`SELECT count(*) AS n FROM entities_fts JOIN entities e ON e.id = entities_fts.rowid WHERE entities_fts MATCH ?1${kindFilter.replace("?", "?2")}`).bind(match, ...kindParams),
  ]);
  type Row = Omit<SearchHit, "highlights"> & { hName: string; hTitle: string | null; hDescription: string | null; hTags: string | null };
  const items = (rows.results as Row[]).map(({ hName, hTitle, hDescription, hTags, ...r }) => ({
    ...r,
    highlights: Object.fromEntries(
      Object.entries({ name: markup(hName), title: markup(hTitle), description: markup(hDescription), tags: markup(hTags) }).filter(([, v]) => v !== undefined),
    ),
  }));
  return { items, total: (count.results[0] as { n: number }).n };
}
