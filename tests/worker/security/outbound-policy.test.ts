/**
 * The outbound policy on its own (worker/net): properties over hostile URLs (every IPv4 notation, IPv6
 * forms, userinfo, ports, trailing dots, look-alike hosts, redirect chains) that it must never let through,
 * a property on the address classifier, and the fetch guarantees: a streamed size cap that stops reading,
 * a timeout, typed permanent and transient errors, read budgets, the GitHub API origin rule.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { refusedHost } from "../../../worker/net/address";
import { createReadBudget, limitReads } from "../../../worker/net/budget";
import { FileEncodingError, HttpStatusError, OutboundRefusedError, PermanentReadError, TooLargeError } from "../../../worker/net/errors";
import { createOutboundPolicy } from "../../../worker/net/policy";
import { fetchCatalogFile } from "../../../worker/net/read-file";
import { RetryableError } from "../../../worker/github/errors";

afterEach(() => {
  vi.restoreAllMocks();
});

/* ------------------------------------------------------------------------------------------------------
 * Generators: internal IPv4 and IPv6 addresses, in the notations a URL parser accepts.
 * ---------------------------------------------------------------------------------------------------- */

const V4_INTERNAL: [number, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
].map(([a, bits]) => [(a as string).split(".").reduce((n, p) => n * 256 + Number(p), 0), bits as number]);

const internalV4 = fc
  .tuple(fc.constantFrom(...V4_INTERNAL), fc.integer({ min: 0, max: 2 ** 32 - 1 }))
  .map(([[base, bits], r]) => (base + (r % 2 ** (32 - bits))) >>> 0);

const octets = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const part = (v: number, style: number) => (style === 0 ? String(v) : style === 1 ? `0x${v.toString(16)}` : `0${v.toString(8)}`);

/** One IPv4 address in a notation WHATWG's host parser turns back into it. */
const v4Notation = (n: number) =>
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 4 }), fc.boolean(), fc.boolean()).map(([form, styles, dot, upper]) => {
    const [a, b, c, d] = octets(n);
    const parts =
      form === 0 ? [a, b, c, d] : form === 1 ? [a, b, c * 256 + d] : form === 2 ? [a, b * 65536 + c * 256 + d] : form === 3 ? [n] : [a, b, c, d];
    let host = parts.map((p, i) => part(p, form >= 4 ? styles[i] : styles[0])).join(".");
    if (upper) host = host.toUpperCase();
    return dot ? `${host}.` : host;
  });

const V6_INTERNAL: [string, number][] = [
  ["::1", 128],
  ["::", 128],
  ["::", 96],
  ["fe80::", 10],
  ["fc00::", 7],
  ["ff00::", 8],
  ["::ffff:0:0", 96],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["2002::", 16],
  ["2001::", 32],
  ["100::", 64],
];

function v6Words(text: string): number[] {
  const [head, tail] = text.split("::");
  const h = head ? head.split(":").map((w) => parseInt(w, 16)) : [];
  const t = tail ? tail.split(":").map((w) => parseInt(w, 16)) : [];
  return [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}

const internalV6 = fc.tuple(fc.constantFrom(...V6_INTERNAL), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })).map(([[base, bits], random]) => {
  const words = v6Words(base);
  return words.map((w, i) => {
    const fixed = Math.max(0, Math.min(16, bits - i * 16));
    const mask = fixed === 16 ? 0xffff : fixed === 0 ? 0 : (0xffff << (16 - fixed)) & 0xffff;
    return (w & mask) | (random[i] & ~mask & 0xffff);
  });
});

/** An IPv6 address as text: full, compressed, zero-padded, upper-case, or with its last 32 bits dotted. */
const v6Notation = (words: number[]) =>
  fc.integer({ min: 0, max: 4 }).map((form) => {
    const hex = words.map((w) => w.toString(16));
    if (form === 0) return hex.join(":");
    if (form === 1) return words.map((w) => w.toString(16).padStart(4, "0")).join(":").toUpperCase();
    if (form === 2) return `${hex.slice(0, 6).join(":")}:${words[6] >> 8}.${words[6] & 255}.${words[7] >> 8}.${words[7] & 255}`;
    // Longest zero run compressed.
    let best = [-1, 0];
    for (let i = 0; i < 8; ) {
      let j = i;
      while (j < 8 && words[j] === 0) j++;
      if (j - i > best[1]) best = [i, j - i];
      i = j === i ? i + 1 : j;
    }
    if (best[1] < 2) return hex.join(":");
    const left = hex.slice(0, best[0]).join(":");
    const right = hex.slice(best[0] + best[1]).join(":");
    return form === 3 ? `${left}::${right}` : `${left}::${right}`.toUpperCase();
  });

const internalHost = fc.oneof(
  internalV4.chain(v4Notation),
  internalV6.chain(v6Notation).map((h) => `[${h}]`),
  fc.constantFrom("localhost", "LOCALHOST", "localhost.", "a.localhost", "x.y.LocalHost.", "[::1]", "[::ffff:127.0.0.1]", "0", "0x0", "127.1", "2130706433"),
);

/** A URL whose real destination is an internal host, dressed up with what might confuse a check. */
const hostileUrl = fc
  .tuple(
    internalHost,
    fc.constantFrom("http", "https", "HTTP", "hTtPs"),
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    fc.constantFrom("", "allowed.test@", "user:pw@", "x.allowed.test:443@", "%61llowed.test@"),
    fc.constantFrom("/", "/x.yaml", "/?u=https://ok.allowed.test/", "/#@ok.allowed.test", "/..%2f..%2f", "//ok.allowed.test/"),
  )
  .map(([host, scheme, port, userinfo, path]) => `${scheme}://${userinfo}${host}${port === undefined ? "" : `:${port}`}${path}`);

describe("the address classifier", () => {
  it("refuses every internal IPv4 address in every notation a URL can spell it in", () => {
    fc.assert(
      fc.property(internalV4.chain((n) => v4Notation(n).map((text) => [n, text] as const)), ([n, text]) => {
        const hostname = new URL(`http://${text}/`).hostname;
        // The URL parser normalises the notation to the dotted quad; the classifier then sees the address.
        expect(hostname).toBe(octets(n).join("."));
        expect(refusedHost(hostname)).not.toBeNull();
        expect(refusedHost(text)).not.toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it("refuses every internal, mapped, translated or tunnelled IPv6 address in any form", () => {
    fc.assert(
      fc.property(internalV6.chain(v6Notation), (text) => {
        expect(refusedHost(new URL(`http://[${text}]/`).hostname)).not.toBeNull();
        expect(refusedHost(`[${text}]`)).not.toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it("lets public unicast addresses and DNS names through", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 2 ** 24 - 1 }), (first, rest) => {
        const n = (first * 2 ** 24 + rest) >>> 0;
        expect(refusedHost(new URL(`http://${n}/`).hostname)).toBeNull();
      }),
    );
    for (const host of ["example.com", "ok.allowed.test", "[2606:4700:4700::1111]", "1.1.1.1"]) expect(refusedHost(host)).toBeNull();
  });
});

describe("catalog URL checks", () => {
  it("never lets a URL to an internal host through, even when its host is on the allow-list", () => {
    fc.assert(
      fc.property(hostileUrl, (text) => {
        let host = "";
        try {
          host = new URL(text).host;
        } catch {
          // Not even a URL: refused below as well.
        }
        const policy = createOutboundPolicy({ CATALOG_READ_ALLOW: `${host},allowed.test,*.allowed.test` });
        expect(() => policy.checkCatalogUrl(text)).toThrow(OutboundRefusedError);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses other schemes, credentials, unlisted hosts and ports, and look-alike hosts", () => {
    const policy = createOutboundPolicy({ CATALOG_READ_ALLOW: "allowed.test,*.allowed.test,ports.example:8443" });
    const refused: [string, string][] = [
      ["file:///etc/passwd", "scheme-not-allowed"],
      ["ftp://ok.allowed.test/x", "scheme-not-allowed"],
      ["data:text/plain,hello", "scheme-not-allowed"],
      ["javascript:alert(1)", "scheme-not-allowed"],
      ["https://user@ok.allowed.test/x", "userinfo"],
      ["https://ok.allowed.test:8080/x", "host-not-allowed"],
      ["https://ports.example/x", "host-not-allowed"],
      ["https://allowed.test.evil.example/x", "host-not-allowed"],
      ["https://evilallowed.test/x", "host-not-allowed"],
      ["https://evil.example/#@ok.allowed.test", "host-not-allowed"],
      ["https://evil.example\\@ok.allowed.test/", "host-not-allowed"],
      ["https://api.github.com/repos/o/r/contents/x", "host-not-allowed"],
      ["not a url", "bad-url"],
    ];
    for (const [url, rule] of refused) {
      let error: unknown;
      try {
        policy.checkCatalogUrl(url);
      } catch (e) {
        error = e;
      }
      expect(error, url).toBeInstanceOf(OutboundRefusedError);
      expect((error as OutboundRefusedError).rule, url).toBe(rule);
    }
    for (const url of ["https://allowed.test/x", "https://a.b.allowed.test/x", "http://ok.allowed.test./x", "https://ports.example:8443/x", "https://%61llowed.test/x"]) {
      expect(policy.checkCatalogUrl(url).protocol).toMatch(/^https?:$/);
    }
    // Nothing is allowed by default.
    expect(() => createOutboundPolicy({}).checkCatalogUrl("https://example.com/x")).toThrow(/CATALOG_READ_ALLOW/);
  });
});

/* ------------------------------------------------------------------------------------------------------
 * Fetching: a stub stands in for the network and records what was asked for.
 * ---------------------------------------------------------------------------------------------------- */

function stubNetwork(route: (req: Request) => Response | Promise<Response>): string[] {
  const requested: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    requested.push(req.url);
    return route(req);
  });
  return requested;
}

const policy = () => createOutboundPolicy({ CATALOG_READ_ALLOW: "allowed.test,*.allowed.test", GITHUB_API_URL: "http://127.0.0.1:8790/" });

describe("redirects", () => {
  it("checks every hop before requesting it: no chain from allowed hosts ever reaches another host", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom("a.allowed.test", "allowed.test", "b.c.allowed.test"), { maxLength: 7 }), hostileUrl, fc.constantFrom(301, 302, 303, 307, 308), async (hops, last, status) => {
        vi.restoreAllMocks();
        const chain = [...hops.map((h, i) => `https://${h}/hop-${i}`), last];
        const requested = stubNetwork((req) => {
          const i = chain.findIndex((u) => u === req.url);
          const next = chain[i + 1];
          return next ? new Response(null, { status, headers: { location: next } }) : new Response("reached");
        });
        await expect(fetchCatalogFile(policy(), "https://allowed.test/start", createReadBudget())).rejects.toBeInstanceOf(OutboundRefusedError);
        for (const url of requested) expect(new URL(url).hostname).toMatch(/(^|\.)allowed\.test$/);
      }),
      { numRuns: 200 },
    );
  });

  it("follows allowed redirects by hand and stops after five", async () => {
    stubNetwork((req) => {
      const n = Number(new URL(req.url).pathname.slice(1));
      return n < 5 ? new Response(null, { status: 302, headers: { location: `/${n + 1}` } }) : new Response(`file ${n}`);
    });
    expect(await fetchCatalogFile(policy(), "https://allowed.test/0", createReadBudget())).toBe("file 5");
    vi.restoreAllMocks();
    stubNetwork(() => new Response(null, { status: 307, headers: { location: "/again" } }));
    await expect(fetchCatalogFile(policy(), "https://allowed.test/0", createReadBudget())).rejects.toMatchObject({ rule: "too-many-redirects" });
  });
});

describe("bodies, statuses and time", () => {
  /** A body that would never end, counting how much of it was pulled and whether the reader let go. */
  function endless(chunk = 64 * 1024) {
    const state = { pulled: 0, cancelled: false };
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        state.pulled += 1;
        controller.enqueue(new Uint8Array(chunk).fill(0x61));
      },
      cancel() {
        state.cancelled = true;
      },
    });
    return { body, state };
  }

  it("stops reading a body as soon as it passes the cap", async () => {
    const { body, state } = endless();
    stubNetwork(() => new Response(body));
    const error = await fetchCatalogFile(policy(), "https://allowed.test/big", createReadBudget()).catch((e) => e);
    expect(error).toBeInstanceOf(TooLargeError);
    expect(error).toBeInstanceOf(PermanentReadError);
    // 4 MB cap, 64 KB chunks: the read ends on the chunk that passes the cap (plus the stream's read-ahead).
    expect(state.pulled).toBeLessThanOrEqual(4 * 16 + 3);
    expect(state.cancelled).toBe(true);
  });

  it("refuses a declared Content-Length over the cap without reading", async () => {
    const { body, state } = endless();
    stubNetwork(() => new Response(body, { headers: { "content-length": String(5 * 1024 * 1024) } }));
    await expect(fetchCatalogFile(policy(), "https://allowed.test/declared", createReadBudget())).rejects.toBeInstanceOf(TooLargeError);
    expect(state.pulled).toBeLessThanOrEqual(1);
  });

  it("gives up on an answer that never completes, as a transient failure", async () => {
    stubNetwork(() => new Response(new ReadableStream({ pull: () => new Promise(() => {}) })));
    const res = await policy().fetchCatalog("https://allowed.test/slow", { timeoutMs: 50 });
    await expect(res.bytes()).rejects.toBeInstanceOf(RetryableError);
    vi.restoreAllMocks();
    stubNetwork((req) => new Promise((_, reject) => req.signal.addEventListener("abort", () => reject(req.signal.reason))));
    await expect(policy().fetchCatalog("https://allowed.test/hang", { timeoutMs: 50 })).rejects.toBeInstanceOf(RetryableError);
  });

  it("maps statuses: 404 is 'not there', 5xx/429/408 retry, anything else is permanent; text is strict UTF-8", async () => {
    const answers: Record<string, Response | (() => Response)> = {};
    stubNetwork((req) => {
      const a = answers[new URL(req.url).pathname];
      return typeof a === "function" ? a() : a;
    });
    const read = (path: string) => fetchCatalogFile(policy(), `https://allowed.test${path}`, createReadBudget());
    answers["/404"] = new Response("gone", { status: 404 });
    expect(await read("/404")).toBeUndefined();
    for (const status of [500, 502, 503, 429, 408]) {
      answers[`/${status}`] = new Response("secret body", { status });
      const e = await read(`/${status}`).catch((x) => x);
      expect(e).toBeInstanceOf(RetryableError);
      expect(e.message).not.toContain("secret body");
    }
    for (const status of [401, 403, 410, 451]) {
      answers[`/${status}`] = new Response("secret body", { status });
      const e = await read(`/${status}`).catch((x) => x);
      expect(e).toBeInstanceOf(HttpStatusError);
      expect(e.message).not.toContain("secret body");
    }
    answers["/bom"] = new Response(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a]));
    expect(await read("/bom")).toBe("a\r\n");
    answers["/latin1"] = new Response(new Uint8Array([0x61, 0xe9, 0x62]));
    await expect(read("/latin1")).rejects.toBeInstanceOf(FileEncodingError);
  });
});

describe("read budgets", () => {
  it("counts reads and refuses past the limit; a child budget draws from its parent", async () => {
    stubNetwork(() => new Response("x"));
    const budget = createReadBudget(3);
    const file = budget.child(2);
    await fetchCatalogFile(policy(), "https://allowed.test/1", file);
    await fetchCatalogFile(policy(), "https://allowed.test/2", file);
    await expect(fetchCatalogFile(policy(), "https://allowed.test/3", file)).rejects.toMatchObject({ name: "OutboundRefusedError", rule: "read-budget" });
    await fetchCatalogFile(policy(), "https://allowed.test/4", budget);
    await expect(fetchCatalogFile(policy(), "https://allowed.test/5", budget)).rejects.toMatchObject({ rule: "read-budget" });
    expect(budget.used).toBe(3);
  });

  it("bounds what one file asks for, cached or not", async () => {
    let calls = 0;
    const read = limitReads(async () => `read ${++calls}`, createReadBudget(2));
    const spec = { type: "url", target: "https://allowed.test/x" };
    await read(spec);
    await read(spec);
    await expect(read(spec)).rejects.toMatchObject({ rule: "read-budget" });
    expect(calls).toBe(2);
  });
});

describe("GitHub API calls", () => {
  it("reach the configured API origin (a fake on 127.0.0.1 too) and are never redirected off it", async () => {
    const requested = stubNetwork((req) => {
      const path = new URL(req.url).pathname;
      if (path === "/moved") return new Response(null, { status: 301, headers: { location: "http://127.0.0.1:8790/repositories/1" } });
      if (path === "/away") return new Response(null, { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } });
      return Response.json({ ok: path });
    });
    const p = policy();
    expect(await (await p.fetchGithub("http://127.0.0.1:8790/moved")).json()).toEqual({ ok: "/repositories/1" });
    await expect(p.fetchGithub("http://127.0.0.1:8790/away")).rejects.toMatchObject({ rule: "github-origin" });
    await expect(p.fetchGithub("http://127.0.0.1:9999/x")).rejects.toMatchObject({ rule: "github-origin" });
    // The API host is trusted for API calls only: catalog data cannot make the worker read it.
    await expect(p.fetchCatalog("http://127.0.0.1:8790/repos/o/r/contents/x")).rejects.toMatchObject({ rule: "address-not-public" });
    expect(requested).toEqual(["http://127.0.0.1:8790/moved", "http://127.0.0.1:8790/repositories/1", "http://127.0.0.1:8790/away"]);
  });
});
