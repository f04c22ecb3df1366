/**
 * Preload tags for a deep link's lazy route (a docs page, a template's form), written into the head of the page
 * the worker serves. index.html carries the route-chunk map (vite.config.ts `routeChunks`), and boot.js preloads
 * from it too, but only once boot.js has arrived and run: as tags in the HTML the chunks start with the entry's
 * own modulepreloads, a round trip earlier.
 */

const MAP_BLOCK = /<script id="edgestage-route-chunks" type="application\/json">([^<]*)<\/script>/;
/** What vite writes: root-relative asset paths of plain file-name characters. */
const ASSET_PATH = /^\/[A-Za-z0-9._\/-]+$/;

/** The chunk files for `pathname` from the map in `html` (none if the map is missing or unreadable). */
export function routeChunksFor(html: string, pathname: string): string[] {
  const m = MAP_BLOCK.exec(html);
  if (!m) return [];
  let map: unknown;
  try {
    map = JSON.parse(m[1]!);
  } catch {
    return [];
  }
  if (typeof map !== "object" || map === null || Array.isArray(map)) return [];
  const files: string[] = [];
  for (const [prefix, list] of Object.entries(map as Record<string, unknown>)) {
    if (!pathname.startsWith(prefix) || !Array.isArray(list)) continue;
    for (const f of list) if (typeof f === "string" && ASSET_PATH.test(f) && !files.includes(f)) files.push(f);
  }
  return files;
}

/** The tags boot.js would add, in the same form (modulepreload for JS, preload as style for CSS, CORS mode). */
export function preloadTags(files: readonly string[]): string {
  return files.map((f) => (f.endsWith(".css") ? `<link rel="preload" as="style" crossorigin href="${f}">` : `<link rel="modulepreload" crossorigin href="${f}">`)).map((t) => `${t}\n    `).join("");
}
