/**
 * Deep links into the portal, served with their first reads already answered. A cold load of an entity page
 * used to be: index.html → boot.js → its API reads (the session, the entity, ...) → render. The worker serves
 * index.html for these pages itself (wrangler.toml `run_worker_first` lists routes.ts PAGE_ROUTES) and writes
 * the answers to those reads into it (inline.ts), so they arrive with the HTML instead of one round trip later:
 * the same requests through the same app, as the signed-in caller, in parallel. The document is streamed: all
 * of it but the page reads' answers goes as soon as the session is known, so the browser fetches the app while
 * the worker reads the entity. Everything else about the page is the static asset's: its bytes and headers (the
 * Content-Security-Policy of web/public/_headers), except that an answer for one person may not be cached
 * (`no-store`, as /api/auth/* answers) and the session read's cookies (a refreshed or cleared session) are
 * passed on. A read that fails or is not JSON is left out, and boot.js fetches it itself as before; a request
 * that is not a navigation gets the plain asset.
 */
import { catalogReadsOf, firstReads, SESSION_READ } from "./first-reads";
import { type InlineRead, pageEnd, pageStart, splitPage } from "./inline";
import { preloadTags, routeChunksFor } from "./preload";
import { isPortalPage } from "./routes";

type Fetch = (req: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

/** Headers of the navigation that are about the document, not about who asks. */
const NOT_FOR_READS = ["accept", "accept-encoding", "if-none-match", "if-modified-since", "range", "content-type", "content-length", "upgrade-insecure-requests"];

function isNavigation(req: Request): boolean {
  const mode = req.headers.get("sec-fetch-mode");
  return mode ? mode === "navigate" : (req.headers.get("accept") ?? "").includes("text/html");
}

/** The read's answer if it can stand in for the page's own fetch, and the cookies it set either way. */
async function answer(req: Request, path: string, env: Env, ctx: ExecutionContext, appFetch: Fetch): Promise<{ read?: InlineRead; cookies: string[] }> {
  const headers = new Headers(req.headers);
  for (const h of NOT_FOR_READS) headers.delete(h);
  headers.set("accept", "application/json");
  try {
    const res = await appFetch(new Request(new URL(path, req.url), { method: "GET", headers }), env, ctx);
    const cookies = res.headers.getSetCookie();
    const json = (res.headers.get("content-type") ?? "").includes("json");
    // 5xx: the page asks again itself (and shows its own error); 204/304 carry no body to hand over (and boot.js
    // could not even make a Response of a 304 with one).
    if (!json || res.status < 200 || res.status >= 500 || res.status === 204 || res.status === 304) {
      await res.body?.cancel();
      return { cookies };
    }
    return { read: { path, status: res.status, body: await res.text() }, cookies };
  } catch {
    return { cookies: [] };
  }
}

/** One Set-Cookie per cookie name, the last one set winning (every read sets the D1 bookmark). */
function lastPerName(cookies: string[]): string[] {
  const byName = new Map<string, string>();
  for (const c of cookies) byName.set(c.slice(0, Math.max(0, c.indexOf("="))).trim(), c);
  return [...byName.values()];
}

async function servePage(req: Request, env: Env, ctx: ExecutionContext, appFetch: Fetch): Promise<Response> {
  const url = new URL(req.url);
  if (req.method !== "GET" || !isNavigation(req)) return env.ASSETS.fetch(req);
  const index = await env.ASSETS.fetch(new Request(new URL("/", url), { headers: { accept: "text/html" } }));
  if (index.status !== 200) return index;
  const html = await index.text();
  const split = splitPage(html);
  if (!split) return new Response(html, index);
  const parts = { ...split, head: split.head + preloadTags(routeChunksFor(html, url.pathname)) };
  const pageReads = firstReads(url.pathname, url.search, catalogReadsOf(html)).filter((p) => p !== SESSION_READ);
  // Started together; the session's answer (a signature check, no D1 read unless it is due a refresh) is
  // awaited before the headers go, so its cookie, a refreshed or cleared session, goes with them.
  const page = pageReads.map((path) => answer(req, path, env, ctx, appFetch));
  const session = await answer(req, SESSION_READ, env, ctx, appFetch);
  const headers = new Headers(index.headers);
  for (const h of ["etag", "last-modified", "content-length", "cf-cache-status"]) headers.delete(h);
  headers.set("cache-control", "no-store");
  headers.set("content-type", "text/html; charset=utf-8");
  for (const c of lastPerName(session.cookies)) headers.append("set-cookie", c);
  const start = pageStart(parts, session.read ? [session.read] : [], pageReads);
  if (page.length === 0) return new Response(start + pageEnd(parts, []), { status: 200, headers });
  // The page reads' answers follow once they are in; the browser is already fetching the app meanwhile. Their
  // cookies (the D1 bookmark) cannot follow the headers; the app's next request brings a current one back.
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const finish = (async () => {
    try {
      await writer.write(encoder.encode(start));
      const done = await Promise.all(page);
      await writer.write(encoder.encode(pageEnd(parts, done.flatMap((r) => (r.read ? [r.read] : [])))));
      await writer.close();
    } catch (err) {
      await writer.abort(err).catch(() => undefined);
    }
  })();
  ctx.waitUntil(finish);
  return new Response(readable, { status: 200, headers });
}

/** `appFetch` with the portal's deep links served as above (when the worker has its assets bound). */
export function withPortalPages(appFetch: Fetch): Fetch {
  return (req, env, ctx) => {
    if (!env.ASSETS || !isPortalPage(new URL(req.url).pathname)) return appFetch(req, env, ctx);
    return servePage(req, env, ctx, appFetch);
  };
}
