/**
 * The proxy's configured happy paths and its per-endpoint rules, against the recording upstream
 * (target-server.mjs): GET with a query, POST bodies, injected secret headers, only allowed headers, the path
 * allow-list, credentials, methods, what comes back (Set-Cookie and friends stripped, cache-control made
 * private), redirects rewritten under /api/proxy, caps on time and size, and who may call.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN, call, errorOf, expectNoEscapes, fileBase, headerPairs, hitsUnder, ORIGIN, target, type ProxyEnv } from "./helpers";
import { craftSession } from "../identity/helpers";
import { canaryHits } from "../security/canary";

const BASE = fileBase();
const TOKEN = "s3cret-token-7f1e";

const echo = (extra: Record<string, unknown> = {}) => ({
  target: `${target().url}${BASE}`,
  internal: true,
  methods: ["GET", "POST"],
  headers: { "x-api-key": "${PROXY_ECHO__TOKEN}", authorization: "Bearer ${PROXY_ECHO__UPSTREAM_TOKEN}" },
  allowedHeaders: ["accept", "content-type", "x-trace"],
  ...extra,
});
const ENV: ProxyEnv = { PROXY_ENDPOINTS: { echo: echo() }, PROXY_ECHO__TOKEN: TOKEN, PROXY_ECHO__UPSTREAM_TOKEN: "upstream-bearer" };

interface Echo {
  echo: true;
  method: string;
  url: string;
  headers: string[];
  body: string;
}

afterEach(async () => {
  await expectNoEscapes();
  expect(await canaryHits()).toEqual([]);
});

/** The number of upstream hits under this file's base while `run` runs. */
async function hitsDuring(run: () => Promise<unknown>): Promise<number> {
  const before = (await hitsUnder(BASE)).length;
  await run();
  return (await hitsUnder(BASE)).length - before;
}

describe("configured endpoints reach the target", () => {
  it("forwards a GET with its query under the target's base path", async () => {
    const res = await call("/api/proxy/echo/items/42?x=1&y=a%20b&z=%2F", { headers: ADMIN }, ENV);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Echo;
    expect(body).toMatchObject({ method: "GET", url: `${BASE}/items/42?x=1&y=a%20b&z=%2F` });
  });

  it("forwards the endpoint's root and a trailing slash as they were asked for", async () => {
    expect(((await (await call("/api/proxy/echo", { headers: ADMIN }, ENV)).json()) as Echo).url).toBe(BASE);
    expect(((await (await call("/api/proxy/echo/", { headers: ADMIN }, ENV)).json()) as Echo).url).toBe(`${BASE}/`);
    expect(((await (await call("/api/proxy/echo/a/", { headers: ADMIN }, ENV)).json()) as Echo).url).toBe(`${BASE}/a/`);
  });

  it("re-encodes each decoded segment, keeping the characters a path segment may hold", async () => {
    const res = await call("/api/proxy/echo/caf%C3%A9/a%20b/x:run/@scope/a%3Fb%23c", { headers: ADMIN }, ENV);
    expect(((await res.json()) as Echo).url).toBe(`${BASE}/caf%C3%A9/a%20b/x:run/@scope/a%3Fb%23c`);
  });

  it("forwards a POST body byte for byte with its content type", async () => {
    const payload = JSON.stringify({ title: "héllo", n: [1, 2, 3] });
    const res = await call("/api/proxy/echo/incidents", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: payload }, ENV);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Echo;
    expect(body).toMatchObject({ method: "POST", url: `${BASE}/incidents`, body: payload });
    expect(headerPairs(body.headers)).toContainEqual(["content-type", "application/json"]);
  });

  it("forwards HEAD as HEAD, with no body", async () => {
    const before = (await hitsUnder(BASE)).length;
    const res = await call("/api/proxy/echo/head-me", { method: "HEAD", headers: ADMIN }, ENV);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const hits = (await hitsUnder(BASE)).slice(before);
    expect(hits.map((h) => `${h.method} ${h.url}`)).toEqual([`HEAD ${BASE}/head-me`]);
  });

  it("injects the endpoint's secret headers, overriding whatever the caller sent", async () => {
    const res = await call("/api/proxy/echo/who", { headers: { ...ADMIN, "x-api-key": "caller-chosen" } }, { ...ENV, PROXY_ENDPOINTS: { echo: echo({ allowedHeaders: ["accept", "x-api-key"] }) } });
    const text = await res.text();
    const pairs = headerPairs((JSON.parse(text) as Echo).headers);
    expect(pairs.filter(([n]) => n === "x-api-key")).toEqual([["x-api-key", TOKEN]]);
    expect(pairs.filter(([n]) => n === "authorization")).toEqual([["authorization", "Bearer upstream-bearer"]]);
  });

  it("never sends the caller's Authorization, cookies, forwarding or unlisted headers", async () => {
    const session = await craftSession({ sub: "user:default/proxy-member" });
    const sent = {
      "x-trace": "trace-1",
      "x-other": "not allowed",
      cookie: `${session}; theme=dark`,
      "x-forwarded-for": "203.0.113.9",
      "x-forwarded-host": "evil.example",
      forwarded: "for=203.0.113.9",
      "cf-connecting-ip": "203.0.113.9",
      "cf-access-jwt-assertion": "access-jwt",
      "proxy-authorization": "Basic x",
      connection: "x-trace",
      te: "trailers",
      accept: "application/json",
    };
    const res = await call("/api/proxy/echo/headers-in", { headers: { ...ADMIN, ...sent } }, { ...ENV, PROXY_ENDPOINTS: { echo: echo({ headers: {} }) } });
    const body = (await res.json()) as Echo;
    const names = headerPairs(body.headers).map(([n]) => n);
    // What workerd adds itself: Host (the target's) and CF-Worker (the zone the request comes from).
    expect(names.sort()).toEqual(["accept", "cf-worker", "host"]);
    expect(JSON.stringify(body)).not.toContain("test-admin-token");
    expect(JSON.stringify(body)).not.toContain(session);
  });

  it("passes an allowed header the caller's Connection header does not name", async () => {
    const body = (await (await call("/api/proxy/echo/t", { headers: { ...ADMIN, "x-trace": "trace-2" } }, ENV)).json()) as Echo;
    expect(headerPairs(body.headers)).toContainEqual(["x-trace", "trace-2"]);
  });
});

describe("credentials", () => {
  const POLICY = JSON.stringify({ roles: { member: ["catalog.entity.read", "proxy.echo.read", "proxy.jar.read"] } });

  it("forwards the caller's cookies only with credentials: forward, never the portal's or Cloudflare's", async () => {
    const session = await craftSession({ sub: "user:default/proxy-cookie" });
    const cookie = `theme=dark; ${session}; CF_Authorization=access-cookie; __Host-edgestage-oauth=flow; lang=en`;
    const env = { ...ENV, PERMISSION_POLICY: POLICY, PROXY_ENDPOINTS: { echo: echo({ headers: {} }), jar: echo({ headers: {}, credentials: "forward" }) } };

    const never = (await (await call("/api/proxy/echo/c", { headers: { cookie } }, env)).json()) as Echo;
    expect(headerPairs(never.headers).filter(([n]) => n === "cookie")).toEqual([]);

    const forwarded = (await (await call("/api/proxy/jar/c", { headers: { cookie } }, env)).json()) as Echo;
    expect(headerPairs(forwarded.headers).filter(([n]) => n === "cookie")).toEqual([["cookie", "theme=dark; lang=en"]]);
    expect(JSON.stringify(forwarded)).not.toContain(session);
  });

  it("sends no Cookie header when only the portal's cookies were there", async () => {
    const session = await craftSession({ sub: "user:default/proxy-cookie2" });
    const env = { ...ENV, PERMISSION_POLICY: POLICY, PROXY_ENDPOINTS: { jar: echo({ headers: {}, credentials: "forward" }) } };
    const body = (await (await call("/api/proxy/jar/c", { headers: { cookie: session } }, env)).json()) as Echo;
    expect(headerPairs(body.headers).map(([n]) => n)).not.toContain("cookie");
  });
});

describe("the path allow-list", () => {
  const env = { ...ENV, PROXY_ENDPOINTS: { echo: echo({ paths: ["/incidents", "/users/*/avatar", "/files/v*/raw", "/docs/**", "/a/**/z"] }) } };
  const allowed = ["/incidents", "/incidents/", "/incidents/42", "/incidents/42/notes", "/users/ada/avatar", "/files/v2/raw", "/docs", "/docs/x/y/z", "/a/z", "/a/b/c/z"];
  const refused = ["", "/", "/incidentsx", "/incident", "/users/ada", "/users/ada/avatar/big", "/users/a/b/avatar", "/files/2/raw", "/doc", "/a/b/c", "/other"];

  it("lets listed paths through", async () => {
    for (const path of allowed) {
      const res = await call(`/api/proxy/echo${path}?q=1`, { headers: ADMIN }, env);
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as Echo).url).toBe(`${BASE}${path}?q=1`);
    }
  });

  it("refuses every other path with a 404 before anything is sent", async () => {
    const sent = await hitsDuring(async () => {
      for (const path of refused) {
        const res = await call(`/api/proxy/echo${path}`, { headers: ADMIN }, env);
        expect((await errorOf(res)).name, path).toBe("NotFoundError");
      }
    });
    expect(sent).toBe(0);
  });
});

describe("methods", () => {
  it("answers 405 with Allow for a method the endpoint does not forward, sending nothing", async () => {
    const sent = await hitsDuring(async () => {
      for (const method of ["PUT", "PATCH", "DELETE"]) {
        const res = await call("/api/proxy/echo/x", { method, headers: ADMIN, body: method === "DELETE" ? undefined : "{}" }, ENV);
        expect(res.status, method).toBe(405);
        expect(res.headers.get("allow")).toBe("GET, POST, HEAD");
        expect((await errorOf(res)).name).toBe("MethodNotAllowedError");
      }
      const readOnly = { ...ENV, PROXY_ENDPOINTS: { echo: echo({ methods: undefined }) } };
      expect((await call("/api/proxy/echo/x", { method: "POST", headers: ADMIN, body: "{}" }, readOnly)).status).toBe(405);
    });
    expect(sent).toBe(0);
  });

  it("has no route for other methods (OPTIONS, TRACE-like verbs)", async () => {
    expect((await call("/api/proxy/echo/x", { method: "OPTIONS", headers: ADMIN }, ENV)).status).toBe(404);
  });
});

describe("what comes back", () => {
  it("strips Set-Cookie, hop-by-hop and origin-acting headers; keeps content headers; makes caching private", async () => {
    const res = await call("/api/proxy/echo/headers", { headers: ADMIN }, ENV);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    for (const name of ["clear-site-data", "refresh", "location", "x-hop", "x-total-count", "x-internal", "www-authenticate", "access-control-allow-origin"]) {
      expect(res.headers.get(name), name).toBeNull();
    }
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("etag")).toBe('"v1"');
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
    // The portal's own security headers, not the upstream's.
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(await res.json()).toEqual({ headers: true });
  });

  it("passes the extra response headers an endpoint lists", async () => {
    const env = { ...ENV, PROXY_ENDPOINTS: { echo: echo({ responseHeaders: ["x-total-count", "x-hop"] }) } };
    const res = await call("/api/proxy/echo/headers", { headers: ADMIN }, env);
    expect(res.headers.get("x-total-count")).toBe("5");
    // Listed, but the upstream's Connection header made it hop-by-hop.
    expect(res.headers.get("x-hop")).toBeNull();
  });

  it("passes upstream statuses through, bodiless ones without a body", async () => {
    for (const code of [201, 204, 304, 404, 418, 500, 503]) {
      const res = await call(`/api/proxy/echo/status?code=${code}`, { headers: ADMIN }, ENV);
      expect(res.status, String(code)).toBe(code);
    }
  });
});

describe("redirects", () => {
  it("rewrites a redirect that stays under the target to the same place under /api/proxy/<name>", async () => {
    const cases: [string, string][] = [
      [`${BASE}/landed?x=1`, "/api/proxy/echo/landed?x=1"],
      ["landed", "/api/proxy/echo/from/landed"],
      [`${target().url}${BASE}/abs/x`, "/api/proxy/echo/abs/x"],
      [`${BASE}/a/../b`, "/api/proxy/echo/b"],
      [BASE, "/api/proxy/echo"],
    ];
    for (const [to, expected] of cases) {
      for (const status of [301, 302, 303, 307, 308]) {
        const res = await call(`/api/proxy/echo/from/redirect?status=${status}&to=${encodeURIComponent(to)}`, { headers: ADMIN }, ENV);
        expect(res.status, to).toBe(status);
        expect(res.headers.get("location"), to).toBe(expected);
        expect(await res.text()).toBe("");
      }
    }
  });

  it("does not follow a redirect: the caller asks again and the proxy checks again", async () => {
    const sent = await hitsDuring(() => call(`/api/proxy/echo/redirect?to=${encodeURIComponent(`${BASE}/landed`)}`, { headers: ADMIN }, ENV));
    expect(sent).toBe(1);
  });
});

describe("caps", () => {
  const capped = (extra: Record<string, unknown>) => ({ ...ENV, PROXY_ENDPOINTS: { echo: echo(extra) } });

  it("passes an answer within maxResponseBytes", async () => {
    const res = await call("/api/proxy/echo/big?bytes=50000", { headers: ADMIN }, capped({ maxResponseBytes: 50_000 }));
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(50_000);
  });

  it("answers 502 for an answer over maxResponseBytes, declared or streamed", async () => {
    for (const declared of ["1", ""]) {
      const res = await call(`/api/proxy/echo/big?bytes=300000&declared=${declared}`, { headers: ADMIN }, capped({ maxResponseBytes: 100_000 }));
      const err = await errorOf(res);
      expect(err).toMatchObject({ status: 502, name: "BadGatewayError" });
      expect(err.message).toContain("more than 100000 bytes");
    }
  });

  it("answers 504 when the target is slower than timeoutMs, before the headers or during the body", async () => {
    for (const path of ["slow", "slow-body"]) {
      const res = await call(`/api/proxy/echo/${path}?ms=5000`, { headers: ADMIN }, capped({ timeoutMs: 300 }));
      expect(await errorOf(res), path).toMatchObject({ status: 504, name: "GatewayTimeoutError" });
    }
  });

  it("refuses a request body over maxRequestBytes with 413, sending nothing", async () => {
    const sent = await hitsDuring(async () => {
      const env = capped({ maxRequestBytes: 1000 });
      const declared = await call("/api/proxy/echo/x", { method: "POST", headers: ADMIN, body: "x".repeat(1001) }, env);
      expect(await errorOf(declared)).toMatchObject({ status: 413, name: "PayloadTooLargeError" });
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode("y".repeat(400)));
          controller.close();
        },
      });
      const streamed = await call("/api/proxy/echo/x", { method: "POST", headers: ADMIN, body: stream, duplex: "half" } as RequestInit, env);
      expect(await errorOf(streamed)).toMatchObject({ status: 413, name: "PayloadTooLargeError" });
    });
    expect(sent).toBe(0);
  });

  it("answers 502 when the target cannot be reached", async () => {
    // A port nothing listens on: the target server's own port + 1 is not guaranteed free, so use port 9 (discard).
    const env = { ...ENV, PROXY_ENDPOINTS: { echo: echo({ target: "http://127.0.0.1:9/x" }) } };
    expect(await errorOf(await call("/api/proxy/echo/x", { headers: ADMIN }, env))).toMatchObject({ status: 502, name: "BadGatewayError" });
  });
});

describe("who may call", () => {
  const env = (policy?: object) => ({ ...ENV, ...(policy ? { PERMISSION_POLICY: JSON.stringify(policy) } : {}) });

  it("refuses anonymous callers with 401 and members without a grant with 403, sending nothing", async () => {
    const member = await craftSession({ sub: "user:default/proxy-nogrant" });
    const sent = await hitsDuring(async () => {
      expect(await errorOf(await call("/api/proxy/echo/x", {}, env()))).toMatchObject({ status: 401, name: "AuthenticationError" });
      expect(await errorOf(await call("/api/proxy/echo/x", { headers: { cookie: member } }, env()))).toMatchObject({ status: 403, name: "NotAllowedError" });
    });
    expect(sent).toBe(0);
  });

  it("lets a member with proxy.<name>.read read, and refuses writes until proxy.<name>.write is granted", async () => {
    const member = await craftSession({ sub: "user:default/proxy-reader" });
    const cookie = { cookie: member, ...ORIGIN };
    const readOnly = env({ roles: { member: ["proxy.echo.read"] } });
    expect((await call("/api/proxy/echo/x", { headers: cookie }, readOnly)).status).toBe(200);
    const write = await errorOf(await call("/api/proxy/echo/x", { method: "POST", headers: cookie, body: "{}" }, readOnly));
    expect(write).toMatchObject({ status: 403, name: "NotAllowedError" });
    expect(write.message).toContain("proxy.echo.write");
    const readWrite = env({ roles: { member: ["proxy.echo.read", "proxy.echo.write"] } });
    expect((await call("/api/proxy/echo/x", { method: "POST", headers: cookie, body: "{}" }, readWrite)).status).toBe(200);
  });

  it("does not let one endpoint's grant open another", async () => {
    const member = await craftSession({ sub: "user:default/proxy-other" });
    const both = { ...ENV, PERMISSION_POLICY: JSON.stringify({ roles: { member: ["proxy.other.read"] } }), PROXY_ENDPOINTS: { echo: echo(), other: echo({ headers: {} }) } };
    expect((await call("/api/proxy/other/x", { headers: { cookie: member } }, both)).status).toBe(200);
    expect((await call("/api/proxy/echo/x", { headers: { cookie: member } }, both)).status).toBe(403);
  });

  it("answers 404 to an admin for an endpoint that is not configured, and for a malformed name", async () => {
    const sent = await hitsDuring(async () => {
      for (const name of ["nope", "Echo", "ec_ho", "echo-", "a--b", "%65cho", "x".repeat(41)]) {
        expect((await errorOf(await call(`/api/proxy/${name}/x`, { headers: ADMIN }, ENV))).name, name).toBe("NotFoundError");
      }
      expect((await call("/api/proxy/echo/x", { headers: ADMIN }, {})).status).toBe(404);
    });
    expect(sent).toBe(0);
  });
});
