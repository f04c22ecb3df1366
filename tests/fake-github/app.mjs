/**
 * @module A fake GitHub REST API: the subset Edgestage calls, over the in-memory model (model.mjs), with
 * token / GitHub App auth and fault injection (500s, timeouts, 403/429 rate limits, truncated bodies on a
 * seeded share of calls). `fake.fetch(request)` is a plain fetch handler: worker tests route stubbed
 * fetches to it, server.mjs serves it on 127.0.0.1. Timeouts and truncation are returned as responses
 * marked with `x-fake-fault`, which each wrapper turns into a real hang or a cut connection.
 */
import { createModel } from "./model.mjs";
import { createFakeOAuth } from "./oauth.mjs";
import { createPublishRoutes } from "./publish.mjs";

const WEB_URL = "https://github.com";

function json(body, status = 200, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

const notFound = () => json({ message: "Not Found", documentation_url: "https://docs.github.com/rest" }, 404);

const bytesOf = (/** @type {string | Uint8Array} */ content) => (typeof content === "string" ? new TextEncoder().encode(content) : content);

function base64(/** @type {string | Uint8Array} */ content) {
  const bytes = bytesOf(content);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  // GitHub wraps base64 content at 60 characters.
  return (btoa(bin).match(/.{1,60}/g) ?? [""]).join("\n");
}

/** FNV-1a → [0, 1): fault decisions hash the request, so they do not depend on the order calls arrive in. */
function unit(/** @type {string} */ text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 4294967296;
}

function b64urlDecode(/** @type {string} */ s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * @param {{
 *   token?: string,
 *   app?: { id: string | number, publicKeyJwk: JsonWebKey },
 *   basePath?: string,
 *   webUrl?: string,
 *   tokenTtlMs?: number,
 *   faults?: FaultOptions | null,
 *   now?: () => number,
 *   firstRepoId?: number,
 *   treeLimit?: number,
 *   oauth?: { clientId?: string, clientSecret?: string },
 *   userLogin?: string,
 *   pushTemplate?: any,
 *   webhooks?: { url: string, secret: string, fetch?: (req: Request) => Promise<Response> } | null,
 * }} [options]
 * @typedef {{ rate: number, kinds?: ("500"|"timeout"|"rate-limit"|"truncate"|"forbidden"|`status:${number}`)[], seed?: number, maxPerKey?: number, match?: (path: string) => boolean }} FaultOptions
 */
export function createFakeGithub(options = {}) {
  const now = options.now ?? (() => Date.now());
  const model = createModel({ now, firstRepoId: options.firstRepoId });
  const webUrl = options.webUrl ?? WEB_URL;
  const basePath = (options.basePath ?? "").replace(/\/$/, "");
  /** @type {{ method: string, path: string, status: number, fault?: string }[]} */
  const requests = [];
  /** @type {{ repo: string, body: any }[]} */
  const checkRuns = [];
  /** @type {{ repo: string, sha: string, body: any }[]} */
  const statuses = [];
  /** @type {Map<string, { installationId: number, expiresAt: number }>} */
  const tokens = new Map();
  let faults = options.faults ?? null;
  /** @type {Map<string, number>} */
  const faultCounts = new Map();
  let injected = 0;
  let tokensIssued = 0;
  const oauth = createFakeOAuth({ now, ...options.oauth });
  /** @type {any[]} push webhooks the write API delivered (publish.mjs) */
  const deliveries = [];
  const webhooks = { current: options.webhooks ?? null };

  function repoJson(r) {
    return {
      id: r.id,
      node_id: `R_${r.id}`,
      name: r.name,
      full_name: `${r.owner}/${r.name}`,
      owner: { login: r.owner, type: "Organization" },
      private: r.private,
      html_url: `${webUrl}/${r.owner}/${r.name}`,
      url: `https://api.github.com/repos/${r.owner}/${r.name}`,
      default_branch: r.defaultBranch,
      archived: r.archived,
      fork: r.fork,
      visibility: r.private ? "private" : "public",
    };
  }

  function commitJson(c) {
    const date = new Date(c.time).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      sha: c.sha,
      tree: { sha: c.treeSha },
      message: c.message,
      author: { name: c.author.name, email: c.author.email, date },
      committer: { name: c.author.name, email: c.author.email, date },
      parents: c.parents.map((sha) => ({ sha })),
    };
  }

  /** A ref (branch name or commit sha) of a repo → commit. */
  function resolveRef(r, /** @type {string | null} */ ref) {
    const sha = ref ? (r.branches.get(ref) ?? ref) : r.branches.get(r.defaultBranch);
    const c = sha ? model.commits.get(sha) : undefined;
    return c && c.repoId === r.id ? c : undefined;
  }

  function page(/** @type {URL} */ url, /** @type {any[]} */ items) {
    const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), 100);
    const n = Math.max(Number(url.searchParams.get("page") ?? 1), 1);
    const slice = items.slice((n - 1) * perPage, n * perPage);
    const headers = {};
    if (n * perPage < items.length) {
      const next = new URL(url);
      next.searchParams.set("page", String(n + 1));
      headers.link = `<${next}>; rel="next"`;
    }
    return { slice, headers };
  }

  async function verifyJwt(/** @type {string} */ token) {
    if (!options.app) return false;
    const [h, p, s] = token.split(".");
    if (!h || !p || !s) return false;
    const key = await crypto.subtle.importKey("jwk", options.app.publicKeyJwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
    const ok = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, b64urlDecode(s), new TextEncoder().encode(`${h}.${p}`));
    if (!ok) return false;
    const claims = JSON.parse(new TextDecoder().decode(b64urlDecode(p)));
    return String(claims.iss) === String(options.app.id) && claims.exp * 1000 > now();
  }

  /** Who is calling: "jwt" (the App itself), an installation id, "token", "anonymous", or null (bad credentials). */
  async function caller(/** @type {Request} */ req) {
    const header = req.headers.get("authorization") ?? "";
    const token = header.replace(/^(bearer|token)\s+/i, "");
    if (!token) return options.token || options.app ? null : "anonymous";
    if (options.token && token === options.token) return "token";
    const installation = tokens.get(token);
    // An uninstalled App's tokens stop working, as GitHub revokes them.
    if (installation) return installation.expiresAt > now() && model.installations.has(installation.installationId) ? installation.installationId : null;
    if (await verifyJwt(token)) return "jwt";
    return options.token || options.app ? null : "anonymous";
  }

  /** @type {[string, RegExp, (m: RegExpMatchArray, req: Request, url: URL, who: any) => Response | Promise<Response>][]} */
  const routes = [
    ...createPublishRoutes({
      model,
      json,
      notFound,
      repoJson: (r) => repoJson(r),
      webUrl,
      now,
      userLogin: options.userLogin,
      pushTemplate: options.pushTemplate,
      get webhooks() {
        return webhooks.current;
      },
      deliveries,
    }),
    ["GET", /^\/rate_limit$/, () => json({ resources: { core: { limit: 5000, remaining: 4999, reset: Math.ceil(now() / 1000) + 3600 } } })],
    ["GET", /^\/repositories\/(\d+)$/, (m) => {
      const r = model.repos.get(Number(m[1]));
      return r && !r.deleted ? json(repoJson(r)) : notFound();
    }],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)$/, (m) => {
      const r = model.findRepo(m[1], m[2]);
      return r ? json(repoJson(r)) : notFound();
    }],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/git\/ref\/heads\/(.+)$/, (m) => {
      const r = model.findRepo(m[1], m[2]);
      const sha = r?.branches.get(decodeURIComponent(m[3]));
      return sha ? json({ ref: `refs/heads/${m[3]}`, object: { sha, type: "commit" } }) : notFound();
    }],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/git\/commits\/([0-9a-f]{40})$/, (m) => {
      const r = model.findRepo(m[1], m[2]);
      const c = r && resolveRef(r, m[3]);
      return c ? json(commitJson(c)) : notFound();
    }],
    // The commit list filtered by path (?sha=&path=&per_page=): first-parent history, newest first.
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/commits$/, (m, _req, url) => {
      const r = model.findRepo(m[1], m[2]);
      let c = r && resolveRef(r, url.searchParams.get("sha"));
      if (!c) return notFound();
      const path = url.searchParams.get("path") ?? "";
      const under = (/** @type {any} */ commit) => [...(commit?.files ?? new Map()).entries()].filter(([p]) => !path || p === path || p.startsWith(`${path}/`)).map((e) => e.join("=")).sort().join("\n");
      const out = [];
      while (c) {
        const parent = c.parents[0] ? model.commits.get(c.parents[0]) : undefined;
        if (under(c) !== under(parent)) out.push({ sha: c.sha, commit: commitJson(c) });
        c = parent;
      }
      const { slice, headers } = page(url, out);
      return json(slice, 200, headers);
    }],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/commits\/(.+)$/, (m, req) => {
      const r = model.findRepo(m[1], m[2]);
      const c = r && resolveRef(r, decodeURIComponent(m[3]));
      if (!c) return notFound();
      if ((req.headers.get("accept") ?? "").includes("vnd.github.sha")) return new Response(c.sha, { headers: { "content-type": "text/plain" } });
      return json({ sha: c.sha, commit: commitJson(c), parents: c.parents.map((sha) => ({ sha })) });
    }],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/([0-9a-f]{40})$/, (m, _req, url) => {
      const r = model.findRepo(m[1], m[2]);
      if (!r) return notFound();
      const t = model.trees.get(m[3]) ?? (model.commits.get(m[3])?.repoId === r.id ? { commit: m[3], dir: "" } : undefined);
      const c = t && model.commits.get(t.commit);
      if (!c || c.repoId !== r.id) return notFound();
      return treeResponse(c, t.dir, url.searchParams.get("recursive") === "1" || url.searchParams.get("recursive") === "true");
    }],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/, (m, req, url) => {
      const r = model.findRepo(m[1], m[2]);
      const c = r && resolveRef(r, url.searchParams.get("ref"));
      const path = decodeURIComponent(m[3]);
      const sha = c?.files.get(path);
      if (!sha) return notFound();
      const content = model.blobs.get(sha) ?? "";
      if ((req.headers.get("accept") ?? "").includes("vnd.github.raw")) return new Response(content, { headers: { "content-type": "text/plain; charset=utf-8" } });
      const size = bytesOf(content).length;
      return json({ type: "file", encoding: "base64", size, name: path.split("/").pop(), path, content: base64(content), sha });
    }],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/, (m) => {
      const r = model.findRepo(m[1], m[2]);
      if (!r || !model.commits.has(m[3]) || !model.commits.has(m[4])) return notFound();
      return json({ ...model.compare(m[3], m[4]), base_commit: { sha: m[3] } });
    }],
    ["GET", /^\/(orgs|users)\/([^/]+)\/repos$/, (m, _req, url) => {
      const list = [...model.repos.values()].filter((r) => !r.deleted && r.owner.toLowerCase() === m[2].toLowerCase()).map(repoJson);
      if (!list.length) return notFound();
      const { slice, headers } = page(url, list);
      return json(slice, 200, headers);
    }],
    ["GET", /^\/(?:orgs|users)\/([^/]+)\/installation$/, (m, _req, _url, who) => {
      if (who !== "jwt") return json({ message: "A JSON web token could not be decoded" }, 401);
      const inst = [...model.installations.values()].find((i) => i.account.toLowerCase() === m[1].toLowerCase());
      return inst ? json({ id: inst.id, account: { login: inst.account } }) : notFound();
    }],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/installation$/, (m, _req, _url, who) => {
      if (who !== "jwt") return json({ message: "A JSON web token could not be decoded" }, 401);
      const r = model.findRepo(m[1], m[2]);
      return r?.installationId ? json({ id: r.installationId, account: { login: r.owner } }) : notFound();
    }],
    ["GET", /^\/app\/installations\/(\d+)$/, (m, _req, _url, who) => {
      if (who !== "jwt") return json({ message: "A JSON web token could not be decoded" }, 401);
      const inst = model.installations.get(Number(m[1]));
      if (!inst) return notFound();
      return json({ id: inst.id, account: { login: inst.account }, suspended_at: inst.suspended ? new Date(now()).toISOString() : null });
    }],
    ["POST", /^\/app\/installations\/(\d+)\/access_tokens$/, (m, _req, _url, who) => {
      if (who !== "jwt") return json({ message: "A JSON web token could not be decoded" }, 401);
      const id = Number(m[1]);
      if (!model.installations.has(id)) return notFound();
      tokensIssued += 1;
      const token = `ghs_fake${tokensIssued}${Math.random().toString(36).slice(2, 10)}`;
      const expiresAt = now() + (options.tokenTtlMs ?? 3600_000);
      tokens.set(token, { installationId: id, expiresAt });
      return json({ token, expires_at: new Date(expiresAt).toISOString() }, 201);
    }],
    ["GET", /^\/installation\/repositories$/, (_m, _req, url, who) => {
      if (typeof who !== "number") return json({ message: "Bad credentials" }, 401);
      const list = [...(model.installations.get(who)?.repoIds ?? [])].map((id) => model.repos.get(id)).filter((r) => r && !r.deleted).map(repoJson);
      const { slice, headers } = page(url, list);
      return json({ total_count: list.length, repositories: slice }, 200, headers);
    }],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/, (m, _req, url) => {
      const r = model.findRepo(m[1], m[2]);
      const files = r && model.pullFiles(r, Number(m[3]));
      if (!files) return notFound();
      const { slice, headers } = page(url, files);
      return json(slice, 200, headers);
    }],
    ["POST", /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/, async (m, req, _url, who) => {
      if (typeof who !== "number" && who !== "anonymous") return json({ message: "You must authenticate via a GitHub App." }, 403);
      const body = await req.json();
      checkRuns.push({ repo: `${m[1]}/${m[2]}`, body });
      return json({ id: checkRuns.length, ...body }, 201);
    }],
    ["POST", /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/, async (m, req) => {
      const body = await req.json();
      statuses.push({ repo: `${m[1]}/${m[2]}`, sha: m[3], body });
      return json({ id: statuses.length, ...body }, 201);
    }],
    ...model.orgs.routes({ json, notFound, page }),
  ];

  async function treeResponse(c, /** @type {string} */ dir, /** @type {boolean} */ recursive) {
    const prefix = dir ? `${dir}/` : "";
    const entries = [];
    const dirs = new Set();
    for (const [path, sha] of c.files) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const parts = rest.split("/");
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
      if (recursive || parts.length === 1) entries.push({ path: rest, mode: "100644", type: "blob", sha, size: bytesOf(model.blobs.get(sha) ?? "").length });
    }
    for (const d of dirs) {
      if (!recursive && d.includes("/")) continue;
      entries.push({ path: d, mode: "040000", type: "tree", sha: await model.treeShaOf(c.sha, prefix + d) });
    }
    entries.sort((a, b) => (a.path < b.path ? -1 : 1));
    const limit = options.treeLimit ?? Infinity;
    return json({ sha: await model.treeShaOf(c.sha, dir), tree: entries.slice(0, limit), truncated: entries.length > limit });
  }

  /**
   * Decides whether this call fails: a seeded hash of method + path + query + how often this exact call
   * failed already, so the choice does not depend on timing, and a call fails at most `maxPerKey` times,
   * which lets every retried job converge.
   */
  function injectFault(/** @type {string} */ key, /** @type {string} */ path) {
    if (!faults || (faults.match && !faults.match(path))) return null;
    const count = faultCounts.get(key) ?? 0;
    const seed = faults.seed ?? 1;
    if (count >= (faults.maxPerKey ?? 1) || unit(`${seed}|${count}|${key}`) >= faults.rate) return null;
    faultCounts.set(key, count + 1);
    // Kinds take turns, so every kind shows up once a few calls have failed.
    const kinds = faults.kinds ?? ["500", "timeout", "rate-limit", "truncate"];
    injected += 1;
    return kinds[injected % kinds.length];
  }

  function faultResponse(/** @type {string} */ kind, /** @type {string} */ key) {
    const reset = Math.ceil(now() / 1000) + 1;
    const coin = unit(`coin|${key}`);
    switch (kind) {
      case "500":
        return json({ message: "Server Error" }, coin < 0.5 ? 500 : 502);
      case "forbidden":
        // No rate-limit headers: a permission problem that retrying cannot fix.
        return json({ message: "Resource not accessible by integration" }, 403);
      case "rate-limit":
        return coin < 0.5
          ? json({ message: "API rate limit exceeded" }, 403, { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) })
          : json({ message: "You have exceeded a secondary rate limit" }, 429, { "retry-after": "1" });
      default:
        // `status:<code>`: exactly that answer (a 429 says when to come back).
        if (kind.startsWith("status:")) {
          const status = Number(kind.slice("status:".length));
          return json({ message: `HTTP ${status}` }, status, status === 429 ? { "retry-after": "1" } : {});
        }
        return new Response(null, { status: 599, headers: { "x-fake-fault": kind } });
    }
  }

  async function fetch(/** @type {Request} */ req) {
    const url = new URL(req.url);
    let path = url.pathname;
    if (basePath && path.startsWith(basePath)) path = path.slice(basePath.length) || "/";
    const entry = { method: req.method, path: path + url.search, status: 0 };
    requests.push(entry);
    const key = `${req.method} ${path}${url.search}`;
    const fault = injectFault(key, path);
    if (fault) {
      entry.fault = fault;
      const res = faultResponse(fault, key);
      entry.status = res.status;
      if (fault !== "truncate") return res;
      // A truncated body: the real answer, marked so the wrapper cuts it short.
      const full = await route(req, url, path);
      const headers = new Headers(full.headers);
      headers.set("x-fake-fault", "truncate");
      return new Response(full.body, { status: full.status, headers });
    }
    const res = await route(req, url, path);
    entry.status = res.status;
    return res;
  }

  async function route(/** @type {Request} */ req, /** @type {URL} */ url, /** @type {string} */ path) {
    const own = await oauth.handle(req, url, path);
    if (own) return own;
    const who = await caller(req);
    if (who === null) return json({ message: "Bad credentials" }, 401);
    for (const [method, pattern, handler] of routes) {
      if (method !== req.method) continue;
      const m = path.match(pattern);
      if (m) return handler(m, req, url, who);
    }
    return notFound();
  }

  return {
    fetch,
    model,
    oauth,
    webUrl,
    requests,
    checkRuns,
    statuses,
    get tokensIssued() {
      return tokensIssued;
    },
    deliveries,
    /** Where ref updates deliver push webhooks (null: nowhere). */
    setWebhooks(/** @type {{ url: string, secret: string, fetch?: (req: Request) => Promise<Response> } | null} */ next) {
      webhooks.current = next;
    },
    setFaults(/** @type {FaultOptions | null} */ next) {
      faults = next;
      faultCounts.clear();
    },
    repoJson,
  };
}
