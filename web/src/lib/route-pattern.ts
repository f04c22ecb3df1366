/**
 * Whether a router path pattern (`/catalog/:namespace/:kind/:name`, `/admin/:section?`, `/docs/*rest`) matches a
 * pathname, as @solidjs/router matches it (segments case-insensitive, a trailing slash ignored, an optional
 * parameter only last, `*` taking the rest). The router keeps its matcher to itself; the portal needs this only
 * to know, before the first render, which route a deep link lands on (index.tsx).
 */
export function matchesRoute(pattern: string, pathname: string): boolean {
  const want = pattern.split("/").filter((s) => s !== "");
  const have = pathname.split("/").filter((s) => s !== "");
  for (let i = 0; i < want.length; i++) {
    const seg = want[i]!;
    if (seg.startsWith("*")) return true;
    if (seg.startsWith(":") && seg.endsWith("?")) return i === want.length - 1 && have.length <= i + 1;
    if (i >= have.length) return false;
    if (!seg.startsWith(":") && seg.toLowerCase() !== have[i]!.toLowerCase()) return false;
  }
  return have.length === want.length;
}
