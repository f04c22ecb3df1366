/**
 * The identity section of `npm run bench` (issue 9's budgets), on the catalog the catalog section loaded:
 *
 * - What the session check adds to a request: GET /api/health measured at c=1 without a cookie and with the
 *   session cookie a real sign-in issued. The identify step runs on every route, health included, so this pair
 *   differs only in the session check (cookie parsing, the HS256 signature and claims check) and the cookie's
 *   bytes on the wire; a decoy cookie of the same length under another name splits those two apart. The worker
 *   checks a cookie's signature once per isolate, so a browser's repeated cookie and a session's first request
 *   (a cookie the isolate has not seen: a fresh token each time) are measured apart. The variants are
 *   interleaved request by request, so drift on the shared machine hits them alike. For scale:
 *   a session older than 10 minutes takes the refresh path (one D1 query for the claims and a new cookie),
 *   and a catalog read (by-name, one D1 query) with the session is set beside the same read with the admin token,
 *   whose check is a constant-time compare, at c=1 and (for the throughput the check costs when the CPUs are
 *   busy) a cached by-query page at c=16.
 * - The sign-in round trip against the fake GitHub (tests/fake-github, real HTTP on 127.0.0.1): GET
 *   /api/auth/github/start → the fake's /login/oauth/authorize → /api/auth/github/callback (which exchanges
 *   the code with PKCE, reads /user and resolves the person in the catalog) → the session cookie is set.
 *   Each sign-in comes from its own client address, as people do: the AUTH_LIMITER of wrangler.toml
 *   (60 attempts a minute per address) stays on and is checked twice per sign-in.
 */
import { performance } from "node:perf_hooks";
import { checkSession, formatNumber, get, measure, ms, request, SESSION_COOKIE, sessionCookie } from "./lib.mjs";

const HEALTH_REQUESTS = 2000;
const READ_REQUESTS = 1000;
const C16_REQUESTS = 1000;
const C16_ROUNDS = 3;
const SIGN_INS = 100;
const SIGN_IN_WARMUP = 10;
/** Budgets from issue 9. */
export const BUDGETS = { sessionCheckMs: 0.2, signInMs: 300 };

const OAUTH = { clientId: "bench-oauth-client", clientSecret: "bench-oauth-secret" };

function percentile(sorted, p) {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
const round = (v, d = 3) => Math.round(v * 10 ** d) / 10 ** d;
const summary = (latencies) => {
  const s = [...latencies].sort((a, b) => a - b);
  return { count: s.length, p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), p99: round(percentile(s, 99)), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
};

/** The `name=value` of the Set-Cookie for `name` in an answer, or undefined. */
function cookieFrom(res, name) {
  const all = [res.headers["set-cookie"] ?? []].flat();
  const found = all.find((c) => c.startsWith(`${name}=`) && !/;\s*Max-Age=0\b/i.test(c));
  return found?.split(";")[0];
}

/**
 * Runs each variant `requests` times at c=1, interleaved (variant 0, 1, 2, …, 0, 1, 2, …) after a warm-up,
 * and returns their latency summaries by name.
 * @param {{ name: string, run: () => Promise<unknown> }[]} variants
 */
async function interleaved(variants, requests, warmup = 200) {
  for (let i = 0; i < warmup; i++) for (const v of variants) await v.run();
  const lat = variants.map(() => []);
  for (let i = 0; i < requests; i++) {
    // Rotate the order each round so no variant always follows the same one.
    for (let k = 0; k < variants.length; k++) {
      const j = (i + k) % variants.length;
      const t0 = performance.now();
      await variants[j].run();
      lat[j].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(variants.map((v, j) => [v.name, summary(lat[j])]));
}

/** Expects `status` from a request; the bench stops rather than measure errors. */
async function expect(status, promise, what) {
  const res = await promise;
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status}, expected ${status}: ${res.text.slice(0, 300)}`);
  return res;
}

/**
 * One sign-in, start to session cookie, as a browser without a session does it.
 * @returns {Promise<{ ms: number, cookie: string }>}
 */
async function signIn(url, address) {
  const headers = { "cf-connecting-ip": address };
  const t0 = performance.now();
  const start = await expect(302, request("GET", `${url}/api/auth/github/start?returnTo=%2Fcatalog`, { headers, allowError: true }), "sign-in start");
  const flow = cookieFrom(start, "__Host-edgestage-oauth");
  if (!flow) throw new Error("sign-in start set no flow cookie");
  const authorize = await expect(302, request("GET", String(start.headers.location), { allowError: true }), "fake GitHub authorize");
  const callbackURL = String(authorize.headers.location);
  if (!callbackURL.startsWith(`${url}/api/auth/github/callback?`)) throw new Error(`the fake GitHub sent the browser to ${callbackURL}`);
  const callback = await expect(302, request("GET", callbackURL, { headers: { ...headers, cookie: flow }, allowError: true }), "sign-in callback");
  const elapsed = performance.now() - t0;
  const cookie = cookieFrom(callback, SESSION_COOKIE);
  if (!cookie) throw new Error(`the callback set no session cookie (it went to ${callback.headers.location})`);
  if (callback.headers.location !== "/catalog") throw new Error(`the callback sent the browser to ${callback.headers.location}, not /catalog`);
  return { ms: elapsed, cookie };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * @param {{ startWorker: typeof import("./lib.mjs").startWorker, persistDir?: string, member: { ref: string, login: string, ownershipRefs: string[] }, byNamePath: string, cachedPath: string, adminToken: string, d1QueryMs?: number | null }} options
 */
export async function benchIdentity({ startWorker, persistDir, member, byNamePath, cachedPath, adminToken, d1QueryMs = null }) {
  const { startFakeGithub } = await import("../../tests/fake-github/server.mjs");
  const gh = await startFakeGithub({ options: { oauth: OAUTH } });
  gh.fake.oauth.signIn({ login: member.login, name: member.displayName ?? null });
  const worker = await startWorker({
    persistDir,
    bindings: {
      GITHUB_API_URL: gh.url,
      GITHUB_OAUTH_URL: gh.url,
      GITHUB_OAUTH_CLIENT_ID: OAUTH.clientId,
      GITHUB_OAUTH_CLIENT_SECRET: OAUTH.clientSecret,
      GITHUB_TOKEN: "",
      GITHUB_APP_ID: "",
      GITHUB_APP_PRIVATE_KEY: "",
      GITHUB_WEB_URL: "",
    },
  }).catch(async (err) => {
    await gh.close();
    throw err;
  });
  const { url } = worker;
  const notes = [];
  try {
    // --- sign-in round trip
    let next = 0;
    const address = () => {
      const n = next++;
      return `198.18.${(n >> 8) & 255}.${n & 255}`; // RFC 2544 benchmarking range: one address per sign-in
    };
    for (let i = 0; i < SIGN_IN_WARMUP; i++) await signIn(url, address());
    const times = [];
    let cookie = "";
    for (let i = 0; i < SIGN_INS; i++) {
      const r = await signIn(url, address());
      times.push(r.ms);
      cookie = r.cookie;
    }
    const signInStats = summary(times);
    // The signed-in person is the dataset's member, with the claims resolved from the catalog; the cookies the
    // other sections mint carry the same claims.
    const session = await checkSession(url, cookie, member.ref);
    const same = JSON.stringify(session.ownershipRefs) === JSON.stringify(member.ownershipRefs);
    if (!same) notes.push(`sign-in resolved ${member.ref} to claims ${session.ownershipRefs.join(", ")}; the minted cookies carry ${member.ownershipRefs.join(", ")}`);

    // --- session check on GET /api/health, interleaved
    const health = `${url}/api/health`;
    const eq = cookie.indexOf("=");
    const decoy = `edgestage-bench-decoy${"x".repeat(Math.max(0, eq - "edgestage-bench-decoy".length))}=${cookie.slice(eq + 1)}`;
    const stale = await sessionCookie(member, { issuedAt: Math.floor(Date.now() / 1000) - 11 * 60 });
    // Distinct tokens for the same person (the display name differs), one per request of the "first" variant.
    const firsts = [];
    for (let i = 0; i < HEALTH_REQUESTS + 200; i++) firsts.push(await sessionCookie({ ...member, displayName: `${member.displayName ?? member.login} ${i}` }));
    let nextFirst = 0;
    const staleCheck = await get(health, { headers: { cookie: stale } });
    if (!cookieFrom(staleCheck, SESSION_COOKIE)) throw new Error("a session older than 10 minutes was not refreshed on /api/health");
    const h = await interleaved(
      [
        { name: "none", run: () => get(health) },
        { name: "decoy", run: () => get(health, { headers: { cookie: decoy } }) },
        { name: "session", run: () => get(health, { headers: { cookie } }) },
        { name: "first", run: () => get(health, { headers: { cookie: firsts[nextFirst++] } }) },
        { name: "stale", run: () => get(health, { headers: { cookie: stale } }) },
      ],
      HEALTH_REQUESTS,
    );
    // --- the same catalog read as the member and with the admin token
    const read = `${url}${byNamePath}`;
    const r = await interleaved(
      [
        { name: "admin", run: () => get(read, { headers: { authorization: `Bearer ${adminToken}` } }) },
        { name: "session", run: () => get(read, { headers: { cookie } }) },
      ],
      READ_REQUESTS,
    );

    // --- a cached read at c=16, alternating admin token and session runs
    const cached = `${url}${cachedPath}`;
    const c16 = { admin: [], session: [] };
    for (let i = 0; i < C16_ROUNDS; i++) {
      for (const [name, headers] of [["admin", { authorization: `Bearer ${adminToken}` }], ["session", { cookie }]]) {
        const m = await measure({ name, concurrency: 16, requests: C16_REQUESTS, run: () => get(cached, { headers }) });
        c16[name].push(m.rps);
      }
    }
    const c16Admin = median(c16.admin);
    const c16Session = median(c16.session);

    const added = round(h.session.p50 - h.none.p50);
    const addedFirst = round(h.first.p50 - h.none.p50);
    const verify = round(h.session.p50 - h.decoy.p50);
    const bytes = round(h.decoy.p50 - h.none.p50);
    const readAdded = round(r.session.p50 - r.admin.p50);
    const fmt = (v) => `${v >= 0 ? "+" : ""}${v.toFixed(3)}`;
    const rows = [
      {
        name: `GET /api/health c=1 p50: no cookie / same-size decoy cookie / session (repeated cookie) / session (first request) (${HEALTH_REQUESTS} each, interleaved)`,
        value: `${h.none.p50.toFixed(3)} / ${h.decoy.p50.toFixed(3)} / ${h.session.p50.toFixed(3)} / ${h.first.p50.toFixed(3)}`,
        unit: "ms",
        budget: "",
        verdict: "info",
      },
      {
        name: "session check added to a request (health p50: the browser's repeated session cookie − no cookie)",
        value: fmt(added),
        unit: "ms",
        budget: `≤ ${BUDGETS.sessionCheckMs} ms, no D1 query`,
        verdict: added <= BUDGETS.sessionCheckMs ? "pass" : "FAIL",
      },
      { name: "  of which the check (session − decoy) / the cookie's bytes (decoy − none)", value: `${fmt(verify)} / ${fmt(bytes)}`, unit: "ms", budget: "", verdict: "info" },
      {
        name: "session check on a session's first request (a cookie this isolate has not seen: HS256 verified) − no cookie",
        value: fmt(addedFirst),
        unit: "ms",
        budget: `≤ ${BUDGETS.sessionCheckMs} ms, no D1 query`,
        verdict: addedFirst <= BUDGETS.sessionCheckMs ? "pass" : "FAIL",
      },
      {
        name: `stale session (> 10 min: claims re-read from D1, new cookie) − valid session, health p50${d1QueryMs !== null ? `; one D1 row read costs ${formatNumber(d1QueryMs)} ms` : ""}`,
        value: fmt(round(h.stale.p50 - h.session.p50)),
        unit: "ms",
        budget: "info (once per 10 min)",
        verdict: "info",
      },
      { name: `by-name (one D1 read) c=1 p50: admin token / member session (${READ_REQUESTS} each, interleaved)`, value: `${r.admin.p50.toFixed(3)} / ${r.session.p50.toFixed(3)} (${fmt(readAdded)})`, unit: "ms", budget: "", verdict: "info" },
      {
        name: `cached by-query page 1 c=16 req/s: admin token / member session (median of ${C16_ROUNDS} alternating runs of ${C16_REQUESTS})`,
        value: `${formatNumber(c16Admin)} / ${formatNumber(c16Session)} (${c16Session >= c16Admin ? "+" : ""}${Math.round((c16Session / c16Admin - 1) * 100)}%)`,
        unit: "req/s",
        budget: "",
        verdict: "info",
      },
      { name: `sign-in round trip p50 (${SIGN_INS} sign-ins: start → fake authorize → callback → cookie)`, value: round(signInStats.p50, 1), unit: "ms", budget: `≤ ${BUDGETS.signInMs} ms`, verdict: signInStats.p50 <= BUDGETS.signInMs ? "pass" : "FAIL" },
      { name: `sign-in round trip p95 (${SIGN_INS} sign-ins)`, value: round(signInStats.p95, 1), unit: "ms", budget: `≤ ${BUDGETS.signInMs} ms`, verdict: signInStats.p95 <= BUDGETS.signInMs ? "pass" : "FAIL" },
    ];
    notes.push(
      `The session cookie is the one the last measured sign-in set (${cookie.length} bytes, ${session.ownershipRefs.length} ownership claims); health answers the same 200 whoever asks, ` +
        `and every request runs the identify step, so the pair differs only in the cookie. "First request" sends a token the isolate has not verified yet (a new one each time). ` +
        `The stale row shows what the session design saves: a D1 query and a new signature per request.`,
      `Sign-ins: ${SIGN_INS} after ${SIGN_IN_WARMUP} warm-up, one at a time, each from its own cf-connecting-ip (AUTH_LIMITER on); the worker's two calls to the fake (code exchange, GET /user) ` +
        `and its catalog lookup of ${member.ref} are inside the figure. ${ms(signInStats.mean)} mean.`,
    );
    return {
      rows,
      columns: ["name", "value", "unit", "budget", "verdict"],
      notes,
      json: { rows, health: h, read: r, cachedC16: c16, signIn: signInStats, sessionCookieBytes: cookie.length, claims: session.ownershipRefs, budgets: BUDGETS },
    };
  } finally {
    await worker.dispose();
    await gh.close();
  }
}
