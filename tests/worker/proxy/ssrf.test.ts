/**
 * The proxy against an SSRF corpus. The target is fixed by config; nothing a caller sends and nothing an
 * upstream answers may make the worker request another host (the canary on 127.0.0.1, in every spelling of
 * its address), another port, a path outside the target's base, or the worker itself. Hostile paths (dot
 * segments in every encoding, encoded and Unicode separators, backslashes, double encoding, `//host`,
 * absolute URLs, `@`, control characters, overlong paths), hostile headers (Host, CRLF), hostile redirects
 * (other hosts, IP literals in every notation, protocol-relative, userinfo, other schemes, outside the base).
 * After each test: the canary saw nothing and the upstream saw nothing outside a test base path.
 */
import { afterEach, describe, expect, it } from "vitest";
import { checkProxyUrl, type ProxyTarget } from "../../../worker/net/policy";
import { OutboundRefusedError } from "../../../worker/net/errors";
import { ADMIN, call, errorOf, expectNoEscapes, fileBase, headerPairs, hitsUnder, target } from "./helpers";
import { canary, canaryHits, canaryHosts, canaryReachable } from "../security/canary";

const BASE = fileBase();
const ENV = {
  PROXY_ENDPOINTS: {
    echo: { target: `${target().url}${BASE}`, internal: true, methods: ["GET", "POST"], allowedHeaders: ["accept", "x-trace"], headers: { "x-api-key": "${PROXY_ECHO__TOKEN}" } },
  },
  PROXY_ECHO__TOKEN: "ssrf-token",
};

interface Echo {
  echo: true;
  url: string;
  headers: string[];
}

afterEach(async () => {
  await expectNoEscapes();
  expect(await canaryHits()).toEqual([]);
});

it("can reach the canary from this isolate (so zero hits means refused, not unreachable)", async () => {
  expect(await canaryReachable()).toBe(true);
});

/** Either a 4xx, or an answer the upstream gave for a path under the base: never a 5xx, never elsewhere. */
async function expectRefusedOrUnderBase(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await call(path, { headers: ADMIN, ...init }, ENV);
  const text = await res.clone().text();
  expect(res.status, `${path}: ${text.slice(0, 200)}`).toBeLessThan(500);
  if (res.status < 400 && res.headers.get("content-type") === "application/json" && text.includes('"echo":true')) {
    const url = (JSON.parse(text) as Echo).url;
    expect(url === BASE || url.startsWith(`${BASE}/`) || url.startsWith(`${BASE}?`), `${path} reached ${url}`).toBe(true);
  } else {
    expect(res.status, `${path} answered ${res.status} without going through the proxy`).toBeGreaterThanOrEqual(400);
  }
  return res;
}

describe("hostile paths", () => {
  // Refused by the proxy itself (400/414), whatever the URL parser did before the worker saw them.
  const refused: string[] = [
    "/%2e%2e%2f%2e%2e%2fauth%2ftokens",
    "/..%2f..%2fauth",
    "/..%2F",
    "/a%2fb",
    "/a%2Fb",
    "/a%5cb",
    "/a%5Cb",
    "/%2e%2e%5c%2e%2e%5c",
    "/%252e%252e/x",
    "/%252E%252E%252F",
    "/%25%32%65%25%32%65/x",
    "/a%252fb",
    "/%2e%2e%2e/%252e",
    "/a//b",
    "//127.0.0.1/x",
    `//127.0.0.1:${canary().port}/x`,
    "//evil.example/x",
    "/http://evil.example/x",
    `/http:%2f%2f127.0.0.1:${canary().port}/x`,
    "/https:/%2fevil.example",
    "/%00",
    "/a%00b",
    "/a%0d%0aHost:%20evil.example",
    "/a%0aX-Injected:%201",
    "/a%09b",
    "/a%7f",
    "/%c0%ae%c0%ae/x",
    "/%e0%80%ae%e0%80%ae/x",
    "/%c0%af",
    "/%ff",
    "/%",
    "/%zz",
    "/%e2%80",
    "/%EF%BC%8E%EF%BC%8E/x",
    "/%EF%BC%8F/x",
    "/%E2%80%A4%E2%80%A4/x",
    "/x/%EF%BC%BC",
    `/${"a/".repeat(70)}`,
    `/${"a".repeat(3000)}`,
  ];

  it("refuses dot segments, separators and encodings that could change the resource or host", async () => {
    const before = (await hitsUnder(BASE)).length;
    for (const path of refused) {
      const res = await call(`/api/proxy/echo${path}`, { headers: ADMIN }, ENV);
      const { status, name } = await errorOf(res);
      expect([400, 404, 414], `${path} → ${status} ${name}`).toContain(status);
    }
    expect((await hitsUnder(BASE)).slice(before).map((h) => h.url)).toEqual([]);
  });

  it("answers overlong paths and query strings with 414", async () => {
    for (const path of [`/${"a".repeat(3000)}`, `/${"a/".repeat(70)}`, `/x?${"q=1&".repeat(1200)}`]) {
      expect((await errorOf(await call(`/api/proxy/echo${path}`, { headers: ADMIN }, ENV))).status, path.slice(0, 40)).toBe(414);
    }
  });

  // Whatever these do (the URL parser resolves plain dot segments and backslashes before the worker runs),
  // they are refused or reach only a path under the base.
  const resolvedByTheParser = [
    "/../../x",
    "/../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/x",
    "/%2E%2E/auth/tokens",
    "/.%2e/x",
    "/%2e./x",
    "/./x",
    "/%2e/x",
    "/a/./b/../c",
    "/a\\b",
    "/\\evil.example/x",
    "/..\\..\\x",
    "/a/..",
    "/.",
    "/..",
    "/@evil.example",
    `/@127.0.0.1:${canary().port}`,
    "/user:pass@evil.example/x",
    `/x@${canary().url.replace("http://", "")}/`,
    "/:80/x",
    "/%40evil.example",
    "/x?to=http://evil.example/",
    "/x?%0d%0aHost:%20evil.example",
    "/x#@evil.example",
    "/;jsessionid=1",
    "/x;/../../y",
    ...canaryHosts().map((h) => `/${h}/x`),
    ...canaryHosts().map((h) => `/http://${h}/x`),
  ];

  it("never lets a parser-resolved path, an @, a host-looking segment or a query leave the base", async () => {
    for (const path of resolvedByTheParser) await expectRefusedOrUnderBase(`/api/proxy/echo${path}`);
  });

  it("keeps CR/LF in a query string encoded: no header is injected upstream", async () => {
    const res = await call("/api/proxy/echo/x?a=%0d%0aX-Injected:%201&b=%0AHost:%20evil", { headers: ADMIN }, ENV);
    const body = (await res.json()) as Echo;
    expect(body.url).toBe(`${BASE}/x?a=%0d%0aX-Injected:%201&b=%0AHost:%20evil`);
    const names = headerPairs(body.headers).map(([n]) => n);
    expect(names).not.toContain("x-injected");
    expect(headerPairs(body.headers).filter(([n]) => n === "host")).toEqual([["host", `127.0.0.1:${target().port}`]]);
  });
});

describe("hostile headers", () => {
  it("sends the target's Host whatever Host, X-Forwarded-Host or X-Original-URL the caller sends", async () => {
    const res = await call("/api/proxy/echo/h", {
      headers: { ...ADMIN, host: "evil.example", "x-forwarded-host": "evil.example", "x-original-url": "/admin", "x-rewrite-url": "/admin", "x-http-method-override": "DELETE" },
    }, ENV);
    const pairs = headerPairs(((await res.json()) as Echo).headers);
    expect(pairs.filter(([n]) => n === "host")).toEqual([["host", `127.0.0.1:${target().port}`]]);
    expect(pairs.map(([n]) => n).filter((n) => n.startsWith("x-") && n !== "x-api-key")).toEqual([]);
  });

  it("cannot be handed a header value with CR or LF by the caller (the platform refuses to build it)", () => {
    expect(() => new Headers({ "x-trace": "a\r\nHost: evil.example" })).toThrow();
  });
});

describe("hostile redirects from the upstream", () => {
  const c = canary();
  const locations = [
    `${c.url}/redirected`,
    ...canaryHosts().map((h) => `http://${h}/redirected`),
    ...canaryHosts().map((h) => `//${h}/redirected`),
    `/\\127.0.0.1:${c.port}/redirected`,
    `\\\\127.0.0.1:${c.port}/redirected`,
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    `${target().url}@evil.example/`,
    `http://127.0.0.1:${target().port}@127.0.0.1:${c.port}/`,
    `http://evil.example@127.0.0.1:${target().port}${BASE}/x`,
    `https://127.0.0.1:${target().port}${BASE}/x`,
    `http://localhost:${target().port}${BASE}/x`,
    `http://127.0.0.1:${c.port}${BASE}/x`,
    `${target().url}/outside`,
    `${target().url}${BASE}x/sibling`,
    "/outside",
    "../../outside",
    `${BASE}/../outside`,
    `${BASE}/%2e%2e/outside`,
    `${BASE}/..%2f..%2foutside`,
    `${BASE}/a%2fb`,
    "javascript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "http://[::1",
  ];

  it("refuses every redirect that leaves the target's base (502), and follows none", async () => {
    const before = (await hitsUnder(BASE)).length;
    for (const to of locations) {
      for (const status of [301, 302, 303, 307, 308]) {
        const res = await call(`/api/proxy/echo/r/redirect?status=${status}&to=${encodeURIComponent(to)}`, { headers: ADMIN }, ENV);
        const err = await errorOf(res);
        expect(err, `${status} → ${to}`).toMatchObject({ status: 502, name: "BadGatewayError" });
        expect(res.headers.get("location")).toBeNull();
      }
    }
    // One request per redirect asked for, and not one more: nothing was followed.
    expect((await hitsUnder(BASE)).length - before).toBe(locations.length * 5);
  });

  it("passes on no Location from a non-redirect answer", async () => {
    const res = await call("/api/proxy/echo/headers", { headers: ADMIN }, ENV);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("refresh")).toBeNull();
  });
});

describe("the outbound policy's proxy rule (worker/net/policy.ts)", () => {
  const t: ProxyTarget = { name: "t", origin: "https://api.example.com", basePath: "/v1", internal: false };
  const refused = [
    "https://api.example.com/v2/x",
    "https://api.example.com/v1x",
    "https://api.example.com/",
    "https://api.example.com:8443/v1/x",
    "http://api.example.com/v1/x",
    "https://user:pw@api.example.com/v1/x",
    "https://api.example.com.evil.example/v1/x",
    "https://evil.example/v1/x",
    "https://127.0.0.1/v1/x",
    "ftp://api.example.com/v1/x",
  ];

  it("refuses any URL off the target's origin or base path", () => {
    for (const url of refused) expect(() => checkProxyUrl(t, new URL(url)), url).toThrow(OutboundRefusedError);
    for (const url of ["https://api.example.com/v1", "https://api.example.com/v1/", "https://api.example.com/v1/a/b?c=d"]) expect(checkProxyUrl(t, new URL(url)).href).toBe(url);
  });

  it("refuses non-public addresses for a target not marked internal, even when it is the target", () => {
    const literal: ProxyTarget = { name: "l", origin: "https://127.0.0.1", basePath: "", internal: false };
    expect(() => checkProxyUrl(literal, new URL("https://127.0.0.1/x"))).toThrow(/never reached/);
    expect(checkProxyUrl({ ...literal, internal: true }, new URL("https://127.0.0.1/x")).href).toBe("https://127.0.0.1/x");
  });
});
