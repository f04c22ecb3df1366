/**
 * PROXY_ENDPOINTS validation: every malformed or unsafe configuration makes the proxy answer 503 naming the
 * problem (never a secret's value) and sends nothing; the secret naming scheme gives an endpoint its own
 * `PROXY_<NAME>__<KEY>` variables and no other variable of the worker.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseProxyConfig, secretVar } from "../../../worker/proxy/config";
import { ADMIN, call, errorOf, expectNoEscapes, fileBase, target } from "./helpers";
import { canaryHits, canaryHosts } from "../security/canary";

const BASE = fileBase();
const ok = (extra: Record<string, unknown> = {}) => ({ target: `${target().url}${BASE}`, internal: true, ...extra });

afterEach(async () => {
  await expectNoEscapes();
  expect(await canaryHits()).toEqual([]);
});

function problems(endpoints: unknown, env: Record<string, unknown> = {}): string[] {
  const parsed = parseProxyConfig(typeof endpoints === "string" ? endpoints : JSON.stringify(endpoints), env);
  return parsed.ok ? [] : parsed.problems;
}

describe("the secret naming scheme", () => {
  it("names an endpoint's secrets PROXY_<NAME>__<KEY>, '-' becoming '_'", () => {
    expect(secretVar("pagerduty", "TOKEN")).toBe("PROXY_PAGERDUTY__TOKEN");
    expect(secretVar("git-hub-ent", "API_KEY")).toBe("PROXY_GIT_HUB_ENT__API_KEY");
  });

  it("substitutes an endpoint's own secrets into header values", () => {
    const parsed = parseProxyConfig(JSON.stringify({ "pager-duty": ok({ headers: { Authorization: "Token token=${PROXY_PAGER_DUTY__TOKEN}", "X-Both": "${PROXY_PAGER_DUTY__A}:${PROXY_PAGER_DUTY__B_2}" } }) }), {
      PROXY_PAGER_DUTY__TOKEN: "t0k",
      PROXY_PAGER_DUTY__A: "a",
      PROXY_PAGER_DUTY__B_2: "b",
    });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.endpoints.get("pager-duty")!.inject).toEqual([["authorization", "Token token=t0k"], ["x-both", "a:b"]]);
  });

  it("refuses references to any other variable: the worker's secrets, another endpoint's, or a malformed key", () => {
    const env = { SESSION_SECRET: "s".repeat(40), ADMIN_TOKEN: "admin", PROXY_OTHER__TOKEN: "theirs", PROXY_A__B__C: "nested", PROXY_A__TOKEN: "mine" };
    for (const ref of ["SESSION_SECRET", "ADMIN_TOKEN", "PROXY_OTHER__TOKEN", "PROXY_A__B__C", "PROXY_A__", "PROXY_A__lower", "PROXY_A_TOKEN", "PROXY_A__TOKEN ", "", "__proto__"]) {
      const found = problems({ a: ok({ headers: { "x-k": `\${${ref}}` } }), other: ok() }, env);
      expect(found.join("\n"), ref).toContain("may only use its own secrets");
      for (const value of Object.values(env)) expect(found.join("\n")).not.toContain(value);
    }
  });

  it("refuses a referenced secret that is not set, naming the variable and not guessing", () => {
    expect(problems({ a: ok({ headers: { authorization: "Bearer ${PROXY_A__TOKEN}" } }) })).toEqual(["PROXY_ENDPOINTS.a: header authorization needs the secret PROXY_A__TOKEN, which is not set"]);
    expect(problems({ a: ok({ headers: { authorization: "Bearer ${PROXY_A__TOKEN}" } }) }, { PROXY_A__TOKEN: "" })).toHaveLength(1);
  });

  it("refuses secret values that would split a header (CR, LF, NUL) without quoting them", () => {
    for (const value of ["a\r\nHost: evil.example", "a\nX-Injected: 1", "a\rb", "a\u0000b", "a\u007fb"]) {
      const found = problems({ a: ok({ headers: { authorization: "Bearer ${PROXY_A__TOKEN}" } }) }, { PROXY_A__TOKEN: value });
      expect(found.join(), JSON.stringify(value)).toContain("contains a control character");
      expect(found.join()).not.toContain(value);
    }
    // So do literal values written into the config.
    expect(problems({ a: ok({ headers: { "x-k": "v\r\nx-evil: 1" } }) }).join()).toContain("control character");
  });
});

describe("refused configurations", () => {
  const cases: [string, unknown, string][] = [
    ["not JSON", "{not json", "not valid JSON"],
    ["an array", [], "must be a JSON object"],
    ["a bad endpoint name", { Bad_Name: ok() }, "is not an endpoint name"],
    ["a prototype key as a name", '{"__proto__": {"target": "https://example.com"}}', "is not an endpoint name"],
    ["an unknown field", { a: ok({ credentail: "forward" }) }, "credentail"],
    ["no target", { a: { internal: true } }, "target"],
    ["a relative target", { a: ok({ target: "/api" }) }, "not an absolute URL"],
    ["an http target", { a: { target: "http://api.example.com/" } }, "must be an https URL"],
    ["a non-http scheme", { a: ok({ target: "file:///etc/passwd" }) }, "must be an https URL"],
    ["userinfo in the target", { a: { target: "https://user:pw@api.example.com/" } }, "credentials"],
    ["a query in the target", { a: { target: "https://api.example.com/v1?key=x" } }, "query or fragment"],
    ["a fragment in the target", { a: { target: "https://api.example.com/v1#x" } }, "query or fragment"],
    ["dot segments in the target", { a: { target: "https://api.example.com/v1/../admin" } }, "not in normal form"],
    ["an encoded slash in the target", { a: { target: "https://api.example.com/v1%2F..%2Fadmin" } }, "encoded path separator"],
    ["an unknown method", { a: ok({ methods: ["GET", "TRACE"] }) }, "must be one of"],
    ["no methods", { a: ok({ methods: [] }) }, "at least one method"],
    ["a bad credentials value", { a: ok({ credentials: "include" }) }, '"never" or "forward"'],
    ["a timeout out of range", { a: ok({ timeoutMs: 600_000 }) }, "timeoutMs"],
    ["a negative size cap", { a: ok({ maxResponseBytes: -1 }) }, "maxResponseBytes"],
    ["an empty path list", { a: ok({ paths: [] }) }, "at least one path"],
    ["a relative path rule", { a: ok({ paths: ["users"] }) }, "must start with '/'"],
    ["a dot segment in a path rule", { a: ok({ paths: ["/a/../b"] }) }, "dot segment"],
    ["an encoded path rule", { a: ok({ paths: ["/a%2fb"] }) }, "write paths decoded"],
    ["a partial ** in a path rule", { a: ok({ paths: ["/a**"] }) }, "whole segment"],
    ["a header name with a space", { a: ok({ headers: { "x bad": "v" } }) }, "not an HTTP header name"],
    ["a non-string header value", { a: ok({ headers: { "x-k": 1 } }) }, "must be a string"],
    ["an injected Host", { a: ok({ headers: { Host: "evil.example" } }) }, "may not set 'Host'"],
    ["an injected hop-by-hop header", { a: ok({ headers: { "Transfer-Encoding": "chunked" } }) }, "may not set"],
    ["an injected cookie", { a: ok({ headers: { cookie: "a=b" } }) }, "may not set"],
    ["an unterminated placeholder", { a: ok({ headers: { "x-k": "${PROXY_A__TOKEN" } }) }, "unterminated"],
    ["a response header acting on the portal", { a: ok({ responseHeaders: ["set-cookie"] }) }, "responseHeaders may not list 'set-cookie'"],
    ["a CORS response header", { a: ok({ responseHeaders: ["Access-Control-Allow-Origin"] }) }, "may not list 'access-control-allow-origin'"],
  ];
  for (const [what, endpoints, expected] of cases) {
    it(`refuses ${what}`, () => {
      expect(problems(endpoints).join("\n")).toContain(expected);
    });
  }

  it("refuses caller headers that carry credentials or forwarding data in allowedHeaders", () => {
    for (const h of ["authorization", "Cookie", "proxy-authorization", "host", "content-length", "connection", "x-forwarded-for", "x-forwarded-host", "forwarded", "cf-connecting-ip", "cf-access-jwt-assertion", "true-client-ip", "x-real-ip", "te", "upgrade"]) {
      expect(problems({ a: ok({ allowedHeaders: ["accept", h] }) }).join(), h).toContain(`allowedHeaders may not list '${h.toLowerCase()}'`);
    }
  });

  it("refuses a target on an internal address in any notation unless the endpoint says internal", () => {
    for (const host of [...canaryHosts().filter((h) => !h.includes("@")), "10.0.0.1", "169.254.169.254", "[fd00::1]", "[fe80::1]", "192.168.1.1", "100.64.0.1", "[::ffff:10.0.0.1]", "[64:ff9b::7f00:1]"]) {
      const found = problems({ a: { target: `https://${host}/api` } });
      expect(found.join(), host).toMatch(/target host is refused/);
    }
  });

  it("accepts the same targets as internal endpoints (a service on the operator's own network)", () => {
    expect(problems({ a: { target: "http://10.0.0.1:8080/api", internal: true } })).toEqual([]);
  });

  it("refuses the whole configuration when one endpoint is wrong", () => {
    const parsed = parseProxyConfig(JSON.stringify({ good: ok(), bad: ok({ methods: ["BREW"] }) }), {});
    expect(parsed.ok).toBe(false);
  });

  it("takes no endpoints from an absent or empty PROXY_ENDPOINTS", () => {
    for (const value of [undefined, "", "   "]) {
      const parsed = parseProxyConfig(value, {});
      expect(parsed.ok && parsed.endpoints.size).toBe(0);
    }
  });
});

describe("through the API", () => {
  it("answers 503 naming the problems on every proxy route, sending nothing, and never echoes a secret", async () => {
    const env = { PROXY_ENDPOINTS: { a: ok({ headers: { authorization: "Bearer ${PROXY_A__TOKEN}" } }), b: ok({ methods: ["BREW"] }) }, PROXY_A__TOKEN: "v\r\nx-evil: secret-value-123" };
    for (const [path, method] of [["/api/proxy/a/x", "GET"], ["/api/proxy/b/x", "POST"], ["/api/proxy/unknown", "GET"]] as const) {
      const res = await call(path, { method, headers: ADMIN, body: method === "POST" ? "{}" : undefined }, env);
      const err = await errorOf(res);
      expect(err).toMatchObject({ status: 503, name: "ServiceUnavailableError" });
      expect(err.message).toContain("PROXY_ENDPOINTS.a: the value of header authorization");
      expect(err.message).toContain("PROXY_ENDPOINTS.b.methods");
      expect(err.message).not.toContain("secret-value-123");
    }
  });

  it("keeps the rest of the portal running while the proxy config is broken", async () => {
    expect((await call("/api/health", {}, { PROXY_ENDPOINTS: "{broken" })).status).toBe(200);
  });

  it("checks the permission before the configuration: callers who may not use the proxy learn nothing", async () => {
    const res = await call("/api/proxy/a/x", {}, { PROXY_ENDPOINTS: "{broken" });
    expect(await errorOf(res)).toMatchObject({ status: 401, name: "AuthenticationError" });
  });

  it("refuses an endpoint whose target is the portal itself", async () => {
    const res = await call("/api/proxy/self/api/auth/tokens", { headers: ADMIN }, { PROXY_ENDPOINTS: { self: { target: "https://portal.test/" } } });
    const err = await errorOf(res);
    expect(err).toMatchObject({ status: 503, name: "ServiceUnavailableError" });
    expect(err.message).toContain("targets this portal itself");
  });
});
