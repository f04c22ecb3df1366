/**
 * @module The fake GitHub's data: repositories, branches, commits, trees and pull requests in memory.
 * Blob SHAs are git's (`sha1("blob <len>\0<content>")`), so they match what the real trees API returns;
 * commit and tree SHAs are opaque 40-hex ids. Web-standard APIs only: runs in workerd and in Node.
 */
import { createOrgModel } from "./org.mjs";

const enc = new TextEncoder();

/** @param {string | Uint8Array} data */
export async function sha1Hex(data) {
  const bytes = typeof data === "string" ? enc.encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-1", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A file's bytes: text is stored as UTF-8; raw bytes (e.g. not valid UTF-8) as given. */
const bytesOf = (/** @type {string | Uint8Array} */ content) => (typeof content === "string" ? enc.encode(content) : content);

/** Git's blob id of a file. */
export async function gitBlobSha(/** @type {string | Uint8Array} */ content) {
  const body = bytesOf(content);
  const header = enc.encode(`blob ${body.length}\0`);
  const all = new Uint8Array(header.length + body.length);
  all.set(header, 0);
  all.set(body, header.length);
  return sha1Hex(all);
}

const lc = (/** @type {string} */ s) => s.toLowerCase();

/**
 * @param {{ now?: () => number, firstRepoId?: number }} [options]
 */
export function createModel(options = {}) {
  const now = options.now ?? (() => Date.now());
  let nextRepoId = options.firstRepoId ?? 1001;
  let nextInstallationId = 501;
  let counter = 0;
  /** @type {Map<number, any>} */
  const repos = new Map();
  /** @type {Map<string, string | Uint8Array>} blob sha → content (text, or raw bytes) */
  const blobs = new Map();
  /** @type {Map<string, any>} commit sha → commit */
  const commits = new Map();
  /** @type {Map<string, { commit: string, dir: string }>} tree sha → a folder of a commit */
  const trees = new Map();
  /** @type {Map<number, { id: number, account: string, repoIds: Set<number>, suspended: boolean }>} */
  const installations = new Map();

  function repo(/** @type {string} */ fullName) {
    const [owner, name] = fullName.split("/");
    for (const r of repos.values()) if (!r.deleted && lc(r.owner) === lc(owner) && lc(r.name) === lc(name)) return r;
    throw new Error(`fake GitHub: no repository ${fullName}`);
  }

  function findRepo(/** @type {string} */ owner, /** @type {string} */ name) {
    for (const r of repos.values()) if (!r.deleted && lc(r.owner) === lc(owner) && lc(r.name) === lc(name)) return r;
    return undefined;
  }

  async function treeShaOf(/** @type {string} */ commitSha, /** @type {string} */ dir) {
    const sha = await sha1Hex(`tree:${commitSha}:${dir}`);
    trees.set(sha, { commit: commitSha, dir });
    return sha;
  }

  /** Writes a commit whose tree is `files` (path → blob sha). */
  async function writeCommit(r, /** @type {string[]} */ parents, /** @type {Map<string,string>} */ files, meta) {
    counter += 1;
    const time = meta.time ?? now();
    const sha = await sha1Hex(`commit:${r.id}:${counter}:${parents.join(",")}:${time}:${meta.message ?? ""}`);
    const commit = {
      sha,
      repoId: r.id,
      parents,
      files,
      treeSha: "",
      message: meta.message ?? "Update",
      author: meta.author ?? { name: "Octo Cat", email: "octocat@example.com", login: "octocat" },
      time,
    };
    commits.set(sha, commit);
    commit.treeSha = await treeShaOf(sha, "");
    return commit;
  }

  async function createRepo({ owner, name, defaultBranch = "main", files = {}, isPrivate = false, installationId, time, author, archived = false }) {
    if (findRepo(owner, name)) throw new Error(`fake GitHub: ${owner}/${name} exists`);
    const r = {
      id: nextRepoId++,
      owner,
      name,
      defaultBranch,
      private: isPrivate,
      archived,
      deleted: false,
      fork: false,
      branches: new Map(),
      pulls: new Map(),
      nextPull: 1,
      installationId: installationId ?? null,
    };
    repos.set(r.id, r);
    const tree = new Map();
    for (const [path, content] of Object.entries(files)) {
      const sha = await gitBlobSha(content);
      blobs.set(sha, content);
      tree.set(path, sha);
    }
    const c = await writeCommit(r, [], tree, { message: "Initial commit", time, author });
    r.branches.set(defaultBranch, c.sha);
    if (installationId) installations.get(installationId)?.repoIds.add(r.id);
    return r;
  }

  /**
   * Commits file changes on a branch: `files` maps a path to new content (text or raw bytes), or null to delete it.
   * @returns the push as GitHub would describe it (before/after, added/modified/removed).
   */
  async function commit(/** @type {string} */ fullName, { files = {}, message, author, branch, time, from } = {}) {
    const r = repo(fullName);
    const ref = branch ?? r.defaultBranch;
    const before = r.branches.get(ref) ?? null;
    const base = from ?? before;
    const tree = new Map(base ? commits.get(base).files : []);
    const added = [];
    const modified = [];
    const removed = [];
    for (const [path, content] of Object.entries(files)) {
      if (content === null) {
        if (tree.delete(path)) removed.push(path);
        continue;
      }
      const sha = await gitBlobSha(content);
      blobs.set(sha, content);
      const prev = tree.get(path);
      if (prev === sha) continue;
      (prev ? modified : added).push(path);
      tree.set(path, sha);
    }
    const c = await writeCommit(r, base ? [base] : [], tree, { message, author, time });
    r.branches.set(ref, c.sha);
    return { repo: r, branch: ref, before, after: c.sha, commit: c, added, modified, removed, forced: Boolean(from && from !== before) };
  }

  /** Moves a branch to any commit (a force push); returns the old and new heads. */
  function forcePush(/** @type {string} */ fullName, { branch, sha }) {
    const r = repo(fullName);
    const ref = branch ?? r.defaultBranch;
    if (!commits.has(sha)) throw new Error(`fake GitHub: no commit ${sha}`);
    const before = r.branches.get(ref) ?? null;
    r.branches.set(ref, sha);
    return { repo: r, branch: ref, before, after: sha };
  }

  function deleteBranch(/** @type {string} */ fullName, /** @type {string} */ branch) {
    const r = repo(fullName);
    const before = r.branches.get(branch) ?? null;
    r.branches.delete(branch);
    return { repo: r, branch, before };
  }

  function isAncestor(/** @type {string} */ ancestor, /** @type {string} */ of) {
    const seen = new Set();
    const queue = [of];
    while (queue.length) {
      const sha = queue.shift();
      if (sha === ancestor) return true;
      if (!sha || seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  function distance(/** @type {string} */ from, /** @type {string} */ to) {
    let n = 0;
    let sha = to;
    while (sha && sha !== from && n < 100000) {
      sha = commits.get(sha)?.parents[0];
      n += 1;
    }
    return n;
  }

  /** GitHub's compare status of `head` relative to `base`. */
  function compare(/** @type {string} */ base, /** @type {string} */ head) {
    if (base === head) return { status: "identical", ahead_by: 0, behind_by: 0 };
    if (isAncestor(base, head)) return { status: "ahead", ahead_by: distance(base, head), behind_by: 0 };
    if (isAncestor(head, base)) return { status: "behind", ahead_by: 0, behind_by: distance(head, base) };
    return { status: "diverged", ahead_by: 1, behind_by: 1 };
  }

  function createInstallation(/** @type {string} */ account, /** @type {string[]} */ fullNames = []) {
    const id = nextInstallationId++;
    installations.set(id, { id, account, repoIds: new Set(), suspended: false });
    for (const n of fullNames) addToInstallation(id, n);
    return id;
  }

  function addToInstallation(/** @type {number} */ id, /** @type {string} */ fullName) {
    const r = repo(fullName);
    r.installationId = id;
    installations.get(id)?.repoIds.add(r.id);
    return r;
  }

  /** Takes a repo out of an installation (installation_repositories "removed"). */
  function removeFromInstallation(/** @type {number} */ id, /** @type {string} */ fullName) {
    const r = repo(fullName);
    installations.get(id)?.repoIds.delete(r.id);
    if (r.installationId === id) r.installationId = null;
    return r;
  }

  /** Uninstalls the App (installation "deleted"): GitHub no longer knows the installation. */
  function deleteInstallation(/** @type {number} */ id) {
    for (const r of repos.values()) if (r.installationId === id) r.installationId = null;
    installations.delete(id);
  }

  function suspendInstallation(/** @type {number} */ id, suspended = true) {
    const inst = installations.get(id);
    if (inst) inst.suspended = suspended;
  }

  function openPull(/** @type {string} */ fullName, { head, base }) {
    const r = repo(fullName);
    const number = r.nextPull++;
    const pull = { number, head, base: base ?? r.defaultBranch };
    r.pulls.set(number, pull);
    return { number, head, base: pull.base, headSha: r.branches.get(head), baseSha: r.branches.get(pull.base), repo: r };
  }

  /** Files a pull request changes: its head tree against its base branch's tree. */
  function pullFiles(r, /** @type {number} */ number) {
    const pull = r.pulls.get(number);
    if (!pull) return undefined;
    const headTree = commits.get(r.branches.get(pull.head))?.files ?? new Map();
    const baseTree = commits.get(r.branches.get(pull.base))?.files ?? new Map();
    const out = [];
    for (const [path, sha] of headTree) {
      const prev = baseTree.get(path);
      if (prev !== sha) out.push({ filename: path, status: prev ? "modified" : "added", sha });
    }
    for (const path of baseTree.keys()) if (!headTree.has(path)) out.push({ filename: path, status: "removed", sha: null });
    return out;
  }

  return {
    orgs: createOrgModel(),
    repos,
    blobs,
    commits,
    trees,
    installations,
    repo,
    findRepo,
    createRepo,
    commit,
    forcePush,
    deleteBranch,
    compare,
    createInstallation,
    addToInstallation,
    removeFromInstallation,
    deleteInstallation,
    suspendInstallation,
    openPull,
    pullFiles,
    treeShaOf,
    rename(/** @type {string} */ fullName, /** @type {string} */ name) {
      const r = repo(fullName);
      r.name = name;
      return r;
    },
    transfer(/** @type {string} */ fullName, /** @type {string} */ owner) {
      const r = repo(fullName);
      r.owner = owner;
      return r;
    },
    archive(/** @type {string} */ fullName, archived = true) {
      const r = repo(fullName);
      r.archived = archived;
      return r;
    },
    remove(/** @type {string} */ fullName) {
      const r = repo(fullName);
      r.deleted = true;
      return r;
    },
    setDefaultBranch(/** @type {string} */ fullName, /** @type {string} */ branch) {
      const r = repo(fullName);
      r.defaultBranch = branch;
      return r;
    },
  };
}
