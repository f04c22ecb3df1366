/**
 * @module The fake GitHub's write API for software templates: repository creation (orgs and the user), the
 * Git data API (blobs, trees, commits, refs), repository settings (PATCH, topics, collaborators, team
 * access, branch protection) and pull requests. A ref that moves delivers a signed push webhook when the
 * fake is configured with `webhooks` ({ url, secret, fetch? }), as GitHub would to an installed hook.
 */
import { gitBlobSha, sha1Hex } from "./model.mjs";
import { pushPayload } from "./payloads.mjs";

const enc = new TextEncoder();

function b64decode(/** @type {string} */ s) {
  return Uint8Array.from(atob(s.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

function b64encode(/** @type {Uint8Array} */ bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Stored text stays text (the model's convention) when it is valid UTF-8. */
function contentOf(/** @type {Uint8Array} */ bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes;
  }
}

async function hmac(/** @type {string} */ secret, /** @type {string} */ body) {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(body)));
  return `sha256=${[...sig].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * @param {{ model: any, json: Function, notFound: Function, repoJson: Function, webUrl: string, now: () => number,
 *   userLogin?: string, pushTemplate?: any, webhooks?: { url: string, secret: string, fetch?: (req: Request) => Promise<Response> } | null,
 *   deliveries: any[] }} h
 */
export function createPublishRoutes(h) {
  const { model, json, notFound, webUrl } = h;
  /** @type {Map<string, Map<string, string>>} tree sha → path → blob sha, for trees made through the API */
  const newTrees = new Map();
  let counter = 0;
  const userLogin = h.userLogin ?? "octocat";

  const find = (o, r) => model.findRepo(decodeURIComponent(o), decodeURIComponent(r));
  const unprocessable = (message, errors) => json({ message, ...(errors ? { errors } : {}), documentation_url: "https://docs.github.com/rest" }, 422);

  function fullJson(r) {
    return {
      ...h.repoJson(r),
      description: r.description ?? null,
      homepage: r.homepage ?? null,
      topics: r.topics ?? [],
      visibility: r.visibility ?? (r.private ? "private" : "public"),
    };
  }

  async function createRepo(owner, body) {
    if (typeof body?.name !== "string" || !/^[A-Za-z0-9._-]{1,100}$/.test(body.name)) return unprocessable("Repository creation failed.", [{ resource: "Repository", code: "custom", field: "name", message: "name is invalid" }]);
    if (model.findRepo(owner, body.name)) {
      return unprocessable("Repository creation failed.", [{ resource: "Repository", code: "custom", field: "name", message: "name already exists on this account" }]);
    }
    const visibility = body.visibility ?? (body.private ? "private" : "public");
    // GitHub's auto_init commits a README; without it the repository is empty (and the Git data API refuses it).
    const r = await model.createRepo({ owner, name: body.name, isPrivate: visibility !== "public", files: body.auto_init ? { "README.md": `# ${body.name}\n` } : {} });
    Object.assign(r, { description: body.description ?? null, homepage: body.homepage ?? null, visibility, topics: [], collaborators: new Map(), teams: new Map(), protection: new Map(), createdByApi: true });
    return json(fullJson(r), 201);
  }

  /** Files of a tree sha: one made through the API, or a folder of a commit the model knows. */
  function filesOfTree(sha) {
    const made = newTrees.get(sha);
    if (made) return new Map(made);
    const t = model.trees.get(sha);
    const c = t && model.commits.get(t.commit);
    if (!c) return null;
    const prefix = t.dir ? `${t.dir}/` : "";
    const out = new Map();
    for (const [p, s] of c.files) if (p.startsWith(prefix)) out.set(p.slice(prefix.length), s);
    return out;
  }

  async function deliverPush(r, branch, before, after) {
    if (!h.webhooks || !h.pushTemplate) return;
    const c = model.commits.get(after);
    const prev = before ? model.commits.get(before)?.files ?? new Map() : new Map();
    const added = [], modified = [], removed = [];
    for (const [p, s] of c.files) {
      if (!prev.has(p)) added.push(p);
      else if (prev.get(p) !== s) modified.push(p);
    }
    for (const p of prev.keys()) if (!c.files.has(p)) removed.push(p);
    const result = { repo: r, branch, before, after, commit: c, added, modified, removed, forced: false };
    const payload = pushPayload(h.pushTemplate, { repo: r, branch, before, after, commits: [result], webUrl, pusher: c.author.login });
    const body = JSON.stringify(payload);
    const id = `fake-${Date.now().toString(36)}-${++counter}`;
    const req = new Request(h.webhooks.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "GitHub-Hookshot/fake", "x-github-event": "push", "x-github-delivery": id, "x-hub-signature-256": await hmac(h.webhooks.secret, body) },
      body,
    });
    const entry = { id, event: "push", repo: `${r.owner}/${r.name}`, branch, after, status: 0 };
    h.deliveries.push(entry);
    try {
      const res = await (h.webhooks.fetch ?? fetch)(req);
      entry.status = res.status;
      await res.body?.cancel();
    } catch (err) {
      entry.status = -1;
      entry.error = String(err?.message ?? err);
    }
  }

  const R = "([^/]+)\\/([^/]+)";
  /** @type {[string, RegExp, (m: RegExpMatchArray, req: Request, url: URL, who: any) => Response | Promise<Response>][]} */
  return [
    ["GET", /^\/user$/, () => json({ login: userLogin, type: "User" })],
    ["POST", /^\/orgs\/([^/]+)\/repos$/, async (m, req) => {
      const org = decodeURIComponent(m[1]);
      if (org.toLowerCase() === userLogin.toLowerCase()) return notFound();
      return createRepo(org, await req.json());
    }],
    ["POST", /^\/user\/repos$/, async (_m, req) => createRepo(userLogin, await req.json())],
    ["PATCH", new RegExp(`^\\/repos\\/${R}$`), async (m, req) => {
      const r = find(m[1], m[2]);
      if (!r) return notFound();
      const body = await req.json();
      if (body.default_branch !== undefined) {
        if (!r.branches.has(body.default_branch)) return unprocessable("Validation Failed", [{ resource: "Repository", field: "default_branch", code: "invalid" }]);
        r.defaultBranch = body.default_branch;
      }
      for (const k of ["description", "homepage"]) if (body[k] !== undefined) r[k] = body[k];
      return json(fullJson(r));
    }],
    ["POST", new RegExp(`^\\/repos\\/${R}\\/git\\/blobs$`), async (m, req) => {
      const r = find(m[1], m[2]);
      if (!r) return notFound();
      const body = await req.json();
      const bytes = body.encoding === "base64" ? b64decode(String(body.content ?? "")) : enc.encode(String(body.content ?? ""));
      const content = contentOf(bytes);
      const sha = await gitBlobSha(content);
      model.blobs.set(sha, content);
      return json({ sha, url: `https://api.github.com/repos/${r.owner}/${r.name}/git/blobs/${sha}` }, 201);
    }],
    ["GET", new RegExp(`^\\/repos\\/${R}\\/git\\/blobs\\/([0-9a-f]{40})$`), (m, req) => {
      const r = find(m[1], m[2]);
      const content = r ? model.blobs.get(m[3]) : undefined;
      if (content === undefined) return notFound();
      const bytes = typeof content === "string" ? enc.encode(content) : content;
      if ((req.headers.get("accept") ?? "").includes("vnd.github.raw")) return new Response(bytes, { headers: { "content-type": "application/octet-stream" } });
      return json({ sha: m[3], size: bytes.length, encoding: "base64", content: b64encode(bytes) });
    }],
    ["POST", new RegExp(`^\\/repos\\/${R}\\/git\\/trees$`), async (m, req) => {
      const r = find(m[1], m[2]);
      if (!r) return notFound();
      const body = await req.json();
      const files = body.base_tree ? filesOfTree(body.base_tree) : new Map();
      if (!files) return unprocessable("base_tree is not a valid tree");
      for (const e of body.tree ?? []) {
        if (typeof e.path !== "string" || !e.path || e.path.startsWith("/") || e.path.split("/").some((s) => s === "" || s === "." || s === "..")) return unprocessable(`tree.path ${JSON.stringify(e.path)} is invalid`);
        if (e.sha === null) {
          files.delete(e.path);
          continue;
        }
        let sha = e.sha;
        if (typeof e.content === "string") {
          sha = await gitBlobSha(e.content);
          model.blobs.set(sha, e.content);
        }
        if (!model.blobs.has(sha)) return unprocessable(`tree.sha ${sha} is not a valid blob`);
        files.set(e.path, sha);
      }
      const sha = await sha1Hex(`newtree:${r.id}:${++counter}:${[...files].join(",")}`);
      newTrees.set(sha, files);
      return json({ sha, tree: [...files].map(([path, s]) => ({ path, mode: "100644", type: "blob", sha: s })), truncated: false }, 201);
    }],
    ["POST", new RegExp(`^\\/repos\\/${R}\\/git\\/commits$`), async (m, req) => {
      const r = find(m[1], m[2]);
      if (!r) return notFound();
      const body = await req.json();
      const files = filesOfTree(body.tree);
      if (!files) return unprocessable("Tree SHA does not exist");
      const parents = Array.isArray(body.parents) ? body.parents : [];
      if (parents.some((p) => model.commits.get(p)?.repoId !== r.id)) return unprocessable("Parent SHA does not exist or is not a commit object");
      const time = h.now();
      const sha = await sha1Hex(`apicommit:${r.id}:${++counter}:${parents.join(",")}:${time}`);
      const author = body.author ? { name: body.author.name, email: body.author.email, login: body.author.name } : { name: "Edgestage", email: "edgestage@example.com", login: "edgestage[bot]" };
      const c = { sha, repoId: r.id, parents, files, treeSha: "", message: String(body.message ?? ""), author, time };
      model.commits.set(sha, c);
      c.treeSha = await model.treeShaOf(sha, "");
      return json({ sha, tree: { sha: c.treeSha }, message: c.message, parents: parents.map((p) => ({ sha: p })) }, 201);
    }],
    ["POST", new RegExp(`^\\/repos\\/${R}\\/git\\/refs$`), async (m, req) => {
      const r = find(m[1], m[2]);
      if (!r) return notFound();
      const body = await req.json();
      const branch = /^refs\/heads\/(.+)$/.exec(String(body.ref ?? ""))?.[1];
      if (!branch) return unprocessable("Reference name is invalid");
      if (r.branches.has(branch)) return unprocessable("Reference already exists");
      if (model.commits.get(body.sha)?.repoId !== r.id) return unprocessable("Object does not exist");
      r.branches.set(branch, body.sha);
      await deliverPush(r, branch, null, body.sha);
      return json({ ref: body.ref, object: { sha: body.sha, type: "commit" } }, 201);
    }],
    ["PATCH", new RegExp(`^\\/repos\\/${R}\\/git\\/refs\\/heads\\/(.+)$`), async (m, req) => {
      const r = find(m[1], m[2]);
      const branch = decodeURIComponent(m[3]);
      const before = r?.branches.get(branch);
      if (!r || !before) return notFound();
      const body = await req.json();
      if (model.commits.get(body.sha)?.repoId !== r.id) return unprocessable("Object does not exist");
      if (!body.force && model.compare(before, body.sha).status !== "ahead" && before !== body.sha) return unprocessable("Update is not a fast forward");
      r.branches.set(branch, body.sha);
      await deliverPush(r, branch, before, body.sha);
      return json({ ref: `refs/heads/${branch}`, object: { sha: body.sha, type: "commit" } });
    }],
    ["DELETE", new RegExp(`^\\/repos\\/${R}\\/git\\/refs\\/heads\\/(.+)$`), (m) => {
      const r = find(m[1], m[2]);
      const branch = decodeURIComponent(m[3]);
      if (!r || !r.branches.has(branch)) return unprocessable("Reference does not exist");
      if (r.defaultBranch === branch) return unprocessable("Cannot delete the default branch");
      r.branches.delete(branch);
      return new Response(null, { status: 204 });
    }],
    ["PUT", new RegExp(`^\\/repos\\/${R}\\/topics$`), async (m, req) => {
      const r = find(m[1], m[2]);
      if (!r) return notFound();
      const body = await req.json();
      const names = Array.isArray(body.names) ? body.names : [];
      if (names.some((n) => typeof n !== "string" || !/^[a-z0-9][a-z0-9-]{0,49}$/.test(n))) return unprocessable("Topics must start with a lowercase letter or number, consist of 50 characters or less, and can include hyphens.");
      r.topics = names;
      return json({ names });
    }],
    ["PUT", new RegExp(`^\\/repos\\/${R}\\/collaborators\\/([^/]+)$`), async (m, req) => {
      const r = find(m[1], m[2]);
      if (!r) return notFound();
      const body = await req.json().catch(() => ({}));
      (r.collaborators ??= new Map()).set(decodeURIComponent(m[3]), body.permission ?? "push");
      return json({ id: r.collaborators.size, permissions: body.permission ?? "push" }, 201);
    }],
    ["PUT", new RegExp(`^\\/orgs\\/([^/]+)\\/teams\\/([^/]+)\\/repos\\/${R}$`), async (m, req) => {
      const r = find(m[3], m[4]);
      if (!r) return notFound();
      const body = await req.json().catch(() => ({}));
      (r.teams ??= new Map()).set(decodeURIComponent(m[2]), body.permission ?? "push");
      return new Response(null, { status: 204 });
    }],
    ["PUT", new RegExp(`^\\/repos\\/${R}\\/branches\\/(.+)\\/protection$`), async (m, req) => {
      const r = find(m[1], m[2]);
      const branch = decodeURIComponent(m[3]);
      if (!r || !r.branches.has(branch)) return notFound();
      const body = await req.json();
      (r.protection ??= new Map()).set(branch, body);
      return json({ url: `https://api.github.com/repos/${r.owner}/${r.name}/branches/${branch}/protection`, ...body });
    }],
    ["POST", new RegExp(`^\\/repos\\/${R}\\/pulls$`), async (m, req) => {
      const r = find(m[1], m[2]);
      if (!r) return notFound();
      const body = await req.json();
      if (!r.branches.has(body.head)) return unprocessable("Validation Failed", [{ resource: "PullRequest", field: "head", code: "invalid" }]);
      const base = body.base ?? r.defaultBranch;
      if (!r.branches.has(base)) return unprocessable("Validation Failed", [{ resource: "PullRequest", field: "base", code: "invalid" }]);
      const pull = model.openPull(`${r.owner}/${r.name}`, { head: body.head, base });
      Object.assign(r.pulls.get(pull.number), { title: body.title, body: body.body ?? "", draft: Boolean(body.draft) });
      return json({ number: pull.number, html_url: `${webUrl}/${r.owner}/${r.name}/pull/${pull.number}`, title: body.title, body: body.body ?? "", head: { ref: body.head, sha: pull.headSha }, base: { ref: base, sha: pull.baseSha }, draft: Boolean(body.draft) }, 201);
    }],
  ];
}
