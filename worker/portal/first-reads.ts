/**
 * The API reads a portal page makes first, by address: what web/public/boot.js starts for the same page (the two
 * lists must be equal, or the page reads twice; tests/node/portal-first-reads.test.ts runs both on the same
 * addresses). Entity pages: the entity and its provenance. A template's form: the Template entity. A docs page:
 * the site and the page. The catalog without a query: the reads index.html lists in its
 * `edgestage-catalog-reads` block (written at build time from the portal's own query builder). Every page: the
 * session. A bad escape in the address means no page read (the portal shows its own error).
 */

export const SESSION_READ = "/api/auth/session";

const ENTITY = /^\/catalog\/([^/]+)\/([^/]+)\/([^/]+)\/?$/;
const TEMPLATE = /^\/create\/templates\/([^/]+)\/([^/]+)\/?$/;
const DOCS = /^\/docs\/([^/]+)\/([^/]+)\/([^/]+)(?:\/(.*))?$/;

/** A path segment as the portal's path builders write it (decoded, then encoded once). Throws on a bad escape. */
const enc = (s: string) => encodeURIComponent(decodeURIComponent(s));

function pageReads(pathname: string, search: string, catalogReads: readonly string[]): string[] {
  try {
    const m = ENTITY.exec(pathname);
    if (m) {
      const [kind, namespace, name] = [enc(m[2]!), enc(m[1]!), enc(m[3]!)];
      return [`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`, `/api/catalog/entity-info/${kind}/${namespace}/${name}`];
    }
    const t = TEMPLATE.exec(pathname);
    if (t) return [`/api/catalog/entities/by-name/template/${enc(t[1]!)}/${enc(t[2]!)}`];
    const d = DOCS.exec(pathname);
    if (d) {
      const site = `/api/plugins/techdocs/sites/${enc(d[1]!)}/${enc(d[2]!)}/${enc(d[3]!)}`;
      const page = (d[4] ?? "").split("/").filter((s) => s !== "").map(decodeURIComponent).join("/");
      return [site, `${site}/page?path=${encodeURIComponent(page)}`];
    }
    if (pathname === "/catalog" && search === "") return [...catalogReads];
  } catch {
    // URIError: a bad escape
  }
  return [];
}

/** The reads for `pathname` + `search` (location.search: "" or "?..."), the session last. */
export function firstReads(pathname: string, search: string, catalogReads: readonly string[] = []): string[] {
  return [...pageReads(pathname, search, catalogReads), SESSION_READ];
}

/** The `edgestage-catalog-reads` list from index.html; [] if it is missing or not a list of API paths. */
export function catalogReadsOf(html: string): string[] {
  const m = /<script id="edgestage-catalog-reads" type="application\/json">([^<]*)<\/script>/.exec(html);
  if (!m) return [];
  try {
    const list: unknown = JSON.parse(m[1]!);
    return Array.isArray(list) && list.every((p) => typeof p === "string" && p.startsWith("/api/")) ? (list as string[]) : [];
  } catch {
    return [];
  }
}
