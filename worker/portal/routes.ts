/**
 * The portal pages the worker serves itself (pages.ts): wrangler.toml's `run_worker_first` lists these next to
 * /api/* (tests/node/portal-first-reads.test.ts checks it does); every other address is the static site's.
 */
export const PAGE_ROUTES = ["/catalog", "/catalog/*", "/docs/*", "/create/templates/*"] as const;

export function isPortalPage(pathname: string): boolean {
  return PAGE_ROUTES.some((r) => (r.endsWith("/*") ? pathname.startsWith(r.slice(0, -1)) : pathname === r));
}
