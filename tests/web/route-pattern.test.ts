/** matchesRoute (web/src/lib/route-pattern.ts) agrees with @solidjs/router's own matcher on the portal's kinds of pattern. */
// The router does not export its matcher; its file is plain JavaScript, so the test reads it by path.
import { createMatcher, expandOptionals } from "../../node_modules/@solidjs/router/dist/utils.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchesRoute } from "../../web/src/lib/route-pattern";

const router = (pattern: string, pathname: string) => expandOptionals(pattern).some((p) => createMatcher(p)(pathname) !== null);

describe("matchesRoute", () => {
  it("matches the portal's deep links to the routes App.tsx lists", () => {
    const cases: [pattern: string, pathname: string, matches: boolean][] = [
      ["/create/templates/:namespace/:name", "/create/templates/default/kitchen-sink", true],
      ["/create/templates/:namespace/:name", "/create/templates/default", false],
      ["/create/tasks", "/create/templates/default/x", false],
      ["/docs/*rest", "/docs/default/component/a/guides/setup", true],
      ["/docs", "/docs/", true],
      ["/admin/:section?", "/admin", true],
      ["/admin/:section?", "/admin/jobs", true],
      ["/admin/:section?", "/admin/jobs/x", false],
      ["/", "/catalog", false],
      ["/Catalog", "/catalog", true],
      ["/create/templates/:namespace/:name", "/create/templates//default/x", false],
      ["/docs/*rest", "/docs", true],
    ];
    for (const [pattern, pathname, expected] of cases) expect(matchesRoute(pattern, pathname), `${pattern} ~ ${pathname}`).toBe(expected);
  });

  it("agrees with the router on generated patterns and paths", () => {
    const seg = fc.constantFrom("a", "b", "docs", "A");
    const patternSeg = fc.oneof(seg, fc.constantFrom(":x", ":y"));
    const pattern = fc
      .tuple(fc.array(patternSeg, { maxLength: 4 }), fc.constantFrom("", "/:opt?", "/*rest"))
      .map(([segs, tail]) => `/${segs.join("/")}${tail}`.replace(/^\/\//, "/"));
    // Empty segments too: `//` inside a path, a doubled leading or trailing slash.
    const pathname = fc.tuple(fc.array(fc.oneof(seg, fc.constant("")), { maxLength: 6 }), fc.boolean()).map(([segs, slash]) => `/${segs.join("/")}${slash ? "/" : ""}`);
    fc.assert(
      fc.property(pattern, pathname, (p, path) => {
        expect(matchesRoute(p, path)).toBe(router(p, path));
      }),
      { numRuns: 2000 },
    );
  });
});
