/**
 * TechDocs end to end against the fake GitHub: a repository with mkdocs.yml, nested docs folders, an image and
 * an XSS page is pushed, its docs are built by the plugin's job, rendered, navigable and searchable; a second
 * push that changes one page rebuilds only that page (asserted on the build's counts, never on time); build
 * failures are recorded with the site; the Backstage metadata API answers in Backstage's shape.
 */
import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import manifest from "../../../../plugins/techdocs/plugin";
import { runBuild } from "../../../../plugins/techdocs/hooks";
import { createHookContext } from "../../../../worker/plugins/context";
import { techdocsRepoFiles, PNG } from "../../../fake-github/techdocs-repo.mjs";
import type { FakeGithub } from "../../../fake-github/app.mjs";
import type { FakeRepo } from "../../../fake-github/model.mjs";
import { api, getJson } from "../../helpers";
import { installFakeGithub, push, quiesce } from "../../ingestion/github-helpers";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

const sitePath = (name: string) => `/api/plugins/techdocs/sites/default/component/${name}`;

async function newRepo(name: string, files: Record<string, string | Uint8Array>): Promise<FakeRepo> {
  return fake.model.createRepo({ owner: "acme", name: `${name}-repo`, files: { "README.md": "# placeholder\n" } }).then(async (repo) => {
    // The docs arrive with a push, as in real life: the catalog learns of the component and the plugin builds.
    await push(fake, repo, files as Record<string, string>);
    return repo;
  });
}

/** Waits until the site's last finished build is at `commit` (or any build when none is given). */
async function builtAt(name: string, commit?: string) {
  return vi.waitUntil(
    async () => {
      const res = await getJson(sitePath(name));
      if (res.status !== 200 || !res.body.build || res.body.status === "pending") return false;
      if (commit && res.body.build.commit !== commit) return false;
      return res.body;
    },
    { timeout: 20_000, interval: 50 },
  );
}

/** A build queued by both the catalog change and the push settles: nothing changes for a while. */
async function settledSite(name: string) {
  let last = "";
  for (let i = 0; i < 60; i++) {
    const res = await getJson(sitePath(name));
    const now = JSON.stringify(res.body?.build);
    if (res.status === 200 && res.body.build && now === last && res.body.status !== "pending") return res.body;
    last = now;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`site ${name} did not settle`);
}

const page = (name: string, path: string) => getJson(`${sitePath(name)}/page?path=${encodeURIComponent(path)}`);

describe("techdocs from a GitHub repository", () => {
  let repo: FakeRepo;
  const name = "docs-svc";

  it("builds the site on push: nav from mkdocs.yml with nested sections, every page rendered", async () => {
    repo = await newRepo(name, techdocsRepoFiles(name));
    await builtAt(name);
    const site = await settledSite(name);
    expect(site).toMatchObject({
      ref: `component:default/${name}`,
      siteName: `${name} handbook`,
      siteDescription: "How the service is built and run.",
      pageCount: 4,
      status: "ok",
      problems: [],
      links: { repoUrl: `https://github.com/acme/${repo.name}` },
    });
    expect(site.nav).toEqual([
      { title: "Home", pageId: "" },
      { title: "Guides", children: [{ title: "Setup", pageId: "guides/setup" }, { title: "Deep dive", children: [{ title: "Internals", pageId: "guides/deep/internals" }] }] },
      { title: "Security notes", pageId: "xss" },
    ]);
  });

  it("serves pages with rewritten links, a TOC, edit/view links and the last commit", async () => {
    const home = await page(name, "");
    expect(home.status).toBe(200);
    expect(home.body.page.title).toBe(`${name} handbook`);
    expect(home.body.page.html).toContain(`<a href="/docs/default/component/${name}/guides/setup">setup guide</a>`);
    expect(home.body.page.html).toContain(`<a href="/docs/default/component/${name}/guides/deep/internals#storage-engine">internals</a>`);
    expect(home.body.page.html).toContain(`src="/api/plugins/techdocs/assets/default/component/${name}?path=img%2Flogo.png"`);
    expect(home.body.page.html).toContain('<div class="admonition note"><p class="admonition-title">Heads up</p>');
    expect(home.body.page.toc).toEqual([{ id: "ownership", text: "Ownership", level: 2 }]);
    expect(home.body.meta).toMatchObject({
      editUrl: `https://github.com/acme/${repo.name}/edit/main/docs/index.md`,
      viewUrl: `https://github.com/acme/${repo.name}/blob/main/docs/index.md`,
      next: { id: "guides/setup", title: "Setup" },
      prev: null,
    });

    const deep = await page(name, "guides/deep/internals");
    expect(deep.status).toBe(200);
    expect(deep.body.page.html).toContain(`<a href="/docs/default/component/${name}/guides/setup">setup</a>`);
    expect(deep.body.page.html).toContain(`href="/api/plugins/techdocs/assets/default/component/${name}?path=img%2Flogo.png"`);
    expect(deep.body.page.html).toContain('<span class="task task-done">☑</span> compaction');
    expect(deep.body.meta.prev).toEqual({ id: "guides/setup", title: "Setup" });

    expect((await page(name, "nope")).status).toBe(404);
    expect((await page(name, "../etc")).status).toBe(400);
  });

  it("neutralizes the XSS page and keeps its harmless text", async () => {
    const xss = await page(name, "xss");
    const html: string = xss.body.page.html;
    expect(html).toContain("Harmless text survives.");
    expect(html).not.toMatch(/<(script|svg|iframe|form|input|style)\b/i);
    // Inside tags: no handler, no style, no script or data URL (the refusal reasons are plain title text).
    const tags = (html.match(/<[a-z][^>]*>/gi) ?? []).map((t) => t.replace(/ title="[^"]*"/g, ""));
    for (const t of tags) expect(t).not.toMatch(/\son\w+=|style=|javascript:|data:/i);
    expect(html).toContain('<span class="broken-link" title="javascript: links are not allowed">markdown js link</span>');
  });

  it("serves images through the worker with their type, and refuses paths outside the site", async () => {
    const res = await api(`/api/plugins/techdocs/assets/default/component/${name}?path=img%2Flogo.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    const etag = res.headers.get("etag")!;
    expect((await api(`/api/plugins/techdocs/assets/default/component/${name}?path=img%2Flogo.png`, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await api(`/api/plugins/techdocs/assets/default/component/${name}?path=..%2Fcatalog-info.yaml`)).status).toBe(400);
    expect((await api(`/api/plugins/techdocs/assets/default/component/${name}?path=index.md`)).status).toBe(404);
  });

  it("indexes heading-level sections for search, scoped to the entity", async () => {
    const res = await getJson(`/api/plugins/techdocs/search?q=zorblax&entity=component:default/${name}`);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ entityRef: `component:default/${name}`, title: "Setup", section: "Configuration", path: `/docs/default/component/${name}/guides/setup#configuration` });
    expect(res.body.items[0].snippet).toContain("<mark>");
  });

  it("rebuilds only the page a second push changed", async () => {
    const before = await settledSite(name);
    const { result } = await push(fake, repo, { "docs/guides/setup.md": "# Setup\n\nNow with a quuxifier step.\n\n## Configuration\n\nUnchanged.\n" });
    const site = await builtAt(name, result.after);
    expect(site.build).toMatchObject({ rendered: 1, unchanged: 3, removed: 0, count: before.build.count + 1, commit: result.after });
    const setup = await page(name, "guides/setup");
    expect(setup.body.page.html).toContain("quuxifier");
    expect(setup.body.meta.commit).toMatchObject({ sha: result.after });
    const hits = await getJson(`/api/plugins/techdocs/search?q=quuxifier&entity=component:default/${name}`);
    expect(hits.body.items.map((h: { section: string }) => h.section)).toContain("Setup");
    const stale = await getJson(`/api/plugins/techdocs/search?q=zorblax&entity=component:default/${name}`);
    expect(stale.body.items).toEqual([]);
  });

  it("removes a deleted page from the index, the nav and search", async () => {
    const { result } = await push(fake, repo, { "docs/xss.md": null, "mkdocs.yml": (techdocsRepoFiles(name)["mkdocs.yml"] as string).replace("  - Security notes: xss.md\n", "") });
    const site = await builtAt(name, result.after);
    expect(site.build).toMatchObject({ rendered: 0, removed: 1 });
    expect(site.nav.map((n: { title: string }) => n.title)).toEqual(["Home", "Guides"]);
    expect((await page(name, "xss")).status).toBe(404);
  });

  it("answers Backstage's TechDocs metadata API", async () => {
    const meta = await getJson(`/api/techdocs/metadata/techdocs/default/component/${name}`);
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ site_name: `${name} handbook`, site_description: "How the service is built and run." });
    expect(meta.body.files).toContain("index.html");
    expect(meta.body.files).toContain("guides/setup/index.html");
    const entity = await getJson(`/api/techdocs/metadata/entity/default/component/${name}`);
    expect(entity.status).toBe(200);
    expect(entity.body).toMatchObject({ kind: "Component", metadata: { name }, locationMetadata: { type: "url", target: `https://github.com/acme/${repo.name}/tree/main` } });
    expect((await getJson("/api/techdocs/metadata/techdocs/default/component/no-such-entity")).status).toBe(404);
  });
});

describe("techdocs builds: commits and duplicates", () => {
  it("pins a new site's first build (queued by the catalog change, not a push) to the docs repository's head commit", async () => {
    const name = "first-build-docs";
    // The docs live in another repository that is never pushed: only the catalog change can build them.
    const files = techdocsRepoFiles(name);
    const docsRepo = await fake.model.createRepo({ owner: "acme", name: `${name}-handbook`, files: { "README.md": "# docs\n" } });
    const docsFiles = Object.fromEntries(Object.entries(files).filter(([path]) => path !== "catalog-info.yaml"));
    const { after: head } = await fake.model.commit(`acme/${docsRepo.name}`, { files: docsFiles as Record<string, string> });
    const catalogInfo = (files["catalog-info.yaml"] as string).replace("dir:.", `url:https://github.com/acme/${docsRepo.name}/tree/main`);
    await newRepo(name, { "catalog-info.yaml": catalogInfo });
    const site = await builtAt(name);
    expect(site.build).toMatchObject({ trigger: "catalog", commit: head, rendered: 4 });
    // Read at that commit: the Backstage metadata's etag is it too.
    expect((await getJson(`/api/techdocs/metadata/techdocs/default/component/${name}`)).body.etag).toBe(head);
  });

  it("skips a build of a commit the site is already built at, and lets only one of two concurrent builds run", async () => {
    const name = "dedupe-docs";
    const repo = await newRepo(name, techdocsRepoFiles(name));
    const first = await settledSite(name);
    const ref = `component:default/${name}`;
    const ctx = createHookContext(env, manifest);
    // The push's own build of the commit the catalog change built (or the other way round) changes nothing.
    expect(await runBuild(ctx, { type: "build", ref, commit: first.build.commit, trigger: `push ${first.build.commit.slice(0, 7)}` })).toMatchObject({ outcome: "skipped" });
    expect((await getJson(sitePath(name))).body.build).toEqual(first.build);

    // Two builds of a new commit at once (the catalog change's and the push's): one renders, the other yields
    // and, queued again, finds the commit built.
    const { after } = await fake.model.commit(`acme/${repo.name}`, { files: { "docs/guides/setup.md": "# Setup\n\nA flumbergast step.\n" } });
    const outcomes = await Promise.all([
      runBuild(ctx, { type: "build", ref, commit: after, trigger: "catalog" }),
      runBuild(ctx, { type: "build", ref, commit: after, trigger: `push ${after.slice(0, 7)}` }),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["built", "deferred"]);
    const built = outcomes.find((o) => o.outcome === "built") as Extract<(typeof outcomes)[number], { outcome: "built" }>;
    expect(built.result.rendered).toEqual(["guides/setup"]);
    const site = await builtAt(name, after);
    expect(site.build).toMatchObject({ commit: after, rendered: 1, count: first.build.count + 1 });
    // The deferred build ran later from the queue and was skipped: still one build of that commit.
    await new Promise((r) => setTimeout(r, 6500));
    expect((await getJson(sitePath(name))).body.build.count).toBe(first.build.count + 1);
  }, 30_000);
});

describe("techdocs build failures", () => {
  it("records a bad mkdocs.yml, a nav entry without a page and an oversize page as problems on the site", async () => {
    const name = "broken-docs";
    const files = techdocsRepoFiles(name);
    files["mkdocs.yml"] = "site_name: Broken\nnav:\n  - Home: index.md\n  - Gone: missing.md\n";
    files["docs/huge.md"] = `# Huge\n\n${"x".repeat(1024 * 1024 + 10)}\n`;
    await newRepo(name, files);
    const site = await settledSite(name);
    expect(site.status).toBe("ok");
    expect(site.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "NavError", message: "nav entry 'missing.md' names a page that is not in docs/" }),
        expect.objectContaining({ name: "PageTooLargeError", file: "docs/huge.md" }),
      ]),
    );
    const list = await getJson("/api/plugins/techdocs/sites");
    expect(list.body.items.find((s: { ref: string }) => s.ref === `component:default/${name}`).problems.length).toBe(2);
  });

  it("records the build's problems as processing errors on the entity, named as TechDocs', and a good build clears them", async () => {
    const name = "entity-problem-docs";
    const files = techdocsRepoFiles(name);
    const good = files["mkdocs.yml"] as string;
    files["mkdocs.yml"] = "site_name: Broken\nnav:\n  - Home: index.md\n  - Gone: missing.md\n";
    const repo = await newRepo(name, files);
    await settledSite(name);
    const info = await getJson(`/api/catalog/entity-info/component/default/${name}`);
    const mine = info.body.errors.filter((e: { plugin?: string }) => e.plugin === "techdocs");
    expect(mine).toEqual([
      expect.objectContaining({ location: "plugin:techdocs", entityRef: `component:default/${name}`, name: "NavError", message: "nav entry 'missing.md' names a page that is not in docs/" }),
    ]);
    const entity = await getJson(`/api/catalog/entities/by-name/component/default/${name}`);
    expect(entity.body.status.items).toEqual([expect.objectContaining({ type: "backstage.io/catalog-processing", level: "error", plugin: "techdocs", error: { name: "NavError", message: mine[0].message } })]);
    expect((await getJson(`/api/catalog/processing-errors?entityRef=component:default/${name}`)).body.items).toHaveLength(1);

    const { result } = await push(fake, repo, { "mkdocs.yml": good });
    const fixed = await builtAt(name, result.after);
    expect(fixed.problems).toEqual([]);
    expect((await getJson(`/api/catalog/entity-info/component/default/${name}`)).body.errors).toEqual([]);
    expect((await getJson(`/api/catalog/entities/by-name/component/default/${name}`)).body.status).toBeUndefined();
  });

  it("records unparseable mkdocs.yml and still builds the pages", async () => {
    const name = "yaml-broken-docs";
    const files = techdocsRepoFiles(name);
    files["mkdocs.yml"] = "site_name: [unclosed\nnav: {\n";
    await newRepo(name, files);
    const site = await settledSite(name);
    expect(site.problems[0]).toMatchObject({ name: "MkdocsError", file: "mkdocs.yml" });
    expect(site.problems[0].message).toMatch(/not valid YAML \(line \d+\)/);
    expect(site.pageCount).toBeGreaterThan(0);
  });

  it("records a docs folder that does not exist as a failed build", async () => {
    const name = "no-docs";
    await newRepo(name, { "catalog-info.yaml": (techdocsRepoFiles(name)["catalog-info.yaml"] as string).replace("dir:.", "dir:./nowhere") });
    const site = await vi.waitUntil(async () => {
      const res = await getJson(sitePath(name));
      return res.status === 200 && res.body.problems.length ? res.body : false;
    }, { timeout: 20_000, interval: 100 });
    expect(site.status).toBe("failed");
    expect(site.problems[0].name).toBe("SourceError");
    const errors = (await getJson(`/api/catalog/entity-info/component/default/${name}`)).body.errors;
    expect(errors).toEqual([expect.objectContaining({ plugin: "techdocs", name: "SourceError", message: site.problems[0].message })]);
  });
});
