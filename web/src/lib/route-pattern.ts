/**
 * Whether a router path pattern (`/catalog/:namespace/:kind/:name`, `/admin/:section?`, `/docs/*rest`) matches a
 * pathname, as @solidjs/router matches it: segments case-insensitive, one leading and one trailing slash
 * tolerated but an empty segment inside refused, an optional parameter only last, `/*` taking the rest. The
 * router keeps its matcher to itself; the portal needs this only to know, before the first render, which route
 * a deep link lands on (index.tsx). tests/web/route-pattern.test.ts holds it to the router's own.
 */
export function matchesRoute(pattern: string, pathname: string): boolean {
  const [fixed = "", splat] = pattern.split("/*", 2);
  const want = fixed.split("/").filter((s) => s !== "");
  const have = pathname.split("/");
  if (have[0] === "") have.shift();
  if (have.length && have[have.length - 1] === "") have.pop();
  if (have.includes("")) return false;
  const rest = splat !== undefined;
  const last = want[want.length - 1];
  if (last?.startsWith(":") && last.endsWith("?")) {
    const without = want.slice(0, -1);
    return matches(without, rest, have) || matches([...without, last.slice(0, -1)], rest, have);
  }
  return matches(want, rest, have);
}

function matches(want: readonly string[], rest: boolean, have: readonly string[]): boolean {
  if (have.length < want.length || (have.length > want.length && !rest)) return false;
  return want.every((seg, i) => seg.startsWith(":") || seg.toLowerCase() === have[i]!.toLowerCase());
}
