/**
 * Properties: for arbitrary path strings (built from the characters path tricks are made of), the proxy
 * either refuses with a 4xx or the upstream URL stays under the configured base, on the target's origin.
 * Once on the path module alone (many runs, raw strings no URL parser has seen), once through the HTTP
 * API against the recording upstream (fewer runs), where the invariant is checked on what arrived.
 */
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { ApiError } from "../../../worker/errors";
import { underBasePath, type ProxyTarget } from "../../../worker/net/policy";
import { compilePathRules, normalizeProxyPath, pathAllowed, upstreamUrl } from "../../../worker/proxy/path";
import { ADMIN, call, expectNoEscapes, fileBase, hitsUnder, target } from "./helpers";
import { canaryHits } from "../security/canary";

const BASE = fileBase();

/** Pieces hostile paths are made of: separators, dots, encodings of both (single and double), `@`, `:`, hosts. */
const piece = fc.constantFrom(
  "/", "/", "/", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "\\", "%25", "%252e", "%252f", "%", "%0d%0a", "%00",
  "@", ":", "?", "#", ";", "a", "b", "evil.example", "127.0.0.1", "[::1]", "0x7f.1", "2130706433", "http:", "//", "%40",
  "%EF%BC%8E", "%EF%BC%8F", "%c0%ae", "é", " ", "~", "*", "&", "=",
);
const hostilePath = fc.array(piece, { maxLength: 16 }).map((parts) => parts.join(""));

describe("the path module", () => {
  const targets: ProxyTarget[] = [
    { name: "root", origin: "https://api.example.com", basePath: "", internal: false },
    { name: "base", origin: "https://api.example.com", basePath: "/v1/tenant", internal: false },
    { name: "port", origin: "http://10.0.0.1:8080", basePath: "/svc", internal: true },
  ];

  it("refuses with a 4xx or builds a URL on the target's origin, under its base path", () => {
    fc.assert(
      fc.property(fc.constantFrom(...targets), fc.oneof(hostilePath.map((p) => `/${p}`), hostilePath, fc.string({ maxLength: 64 }), fc.string({ unit: "binary", maxLength: 32 })), fc.constantFrom("", "?a=1", "?to=//evil.example/"), (t, raw, search) => {
        let url: URL;
        try {
          url = upstreamUrl(t, normalizeProxyPath(raw), search);
        } catch (err) {
          expect(err).toBeInstanceOf(ApiError);
          expect((err as ApiError).status).toBeGreaterThanOrEqual(400);
          expect((err as ApiError).status).toBeLessThan(500);
          return;
        }
        expect(url.origin).toBe(t.origin);
        expect(underBasePath(url.pathname, t.basePath)).toBe(true);
        expect(url.username + url.password).toBe("");
        expect(url.search).toBe(search);
        // Each segment we sent decodes back to exactly one of the caller's checked segments.
        const sent = url.pathname.slice(t.basePath.length).split("/").slice(1).filter((s, i, all) => !(s === "" && i === all.length - 1));
        expect(sent.map((s) => decodeURIComponent(s))).toEqual(normalizeProxyPath(raw).segments);
      }),
      { numRuns: 3000 },
    );
  });

  it("matches an allow-list the same way however the rules are ordered", () => {
    const rules = ["/a", "/b/*/c", "/d/**", "/e/**/f", "/x*y/z"];
    const segment = fc.constantFrom("a", "b", "c", "d", "e", "f", "x", "y", "xy", "xzy", "z");
    fc.assert(
      fc.property(fc.shuffledSubarray(rules, { minLength: 1 }), fc.array(segment, { maxLength: 6 }), (chosen, segments) => {
        const forward = pathAllowed(compilePathRules(chosen), segments);
        const backward = pathAllowed(compilePathRules([...chosen].reverse()), segments);
        expect(forward).toBe(backward);
        expect(forward).toBe(chosen.some((r) => pathAllowed(compilePathRules([r]), segments)));
      }),
      { numRuns: 1000 },
    );
  });

  it("matches long paths against many ** rules without blowing up", () => {
    const rules = compilePathRules(["/**/a/**/b/**/c/**/d/**/e/**/nope"]);
    expect(pathAllowed(rules, Array.from({ length: 64 }, () => "a"))).toBe(false);
  });
});

describe("through the API", () => {
  // x-echo marks an answer the upstream gave (passed back because the endpoint lists it).
  const ENV = { PROXY_ENDPOINTS: { prop: { target: `${target().url}${BASE}`, internal: true, responseHeaders: ["x-echo"] } } };

  afterAll(async () => {
    await expectNoEscapes();
    expect(await canaryHits()).toEqual([]);
  });

  it("answers an arbitrary path with a 4xx, another portal route, or an upstream answer for a path under the base", async () => {
    await fc.assert(
      fc.asyncProperty(hostilePath, async (path) => {
        const before = (await hitsUnder(BASE)).length;
        let requestUrl: URL;
        try {
          requestUrl = new URL(`https://portal.test/api/proxy/prop/${path}`);
        } catch {
          return; // not a URL any client could send
        }
        const res = await call(requestUrl.pathname + requestUrl.search, { headers: ADMIN }, ENV);
        const body = await res.text();
        expect(res.status, body.slice(0, 200)).toBeLessThan(500);
        const arrived = (await hitsUnder(BASE)).slice(before);
        if (res.headers.get("x-echo") === null) {
          // Refused, or the URL parser resolved a dot segment to another portal route: nothing went upstream.
          expect(arrived).toEqual([]);
          return;
        }
        expect(arrived).toHaveLength(1);
        const url = arrived[0].url;
        expect(url === BASE || url.startsWith(`${BASE}/`) || url.startsWith(`${BASE}?`), url).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
