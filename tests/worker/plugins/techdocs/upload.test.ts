/**
 * TechDocs for local folders (`npm run catalog:load`): the upload route builds what it is sent, incrementally,
 * behind its own write permission; bad paths and bodies are 4xx; build problems come back with the site.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { createPluginStorage, DEFAULT_STORAGE_LIMITS } from "../../../../worker/plugins/context/storage";
import { claimBuildLease } from "../../../../plugins/techdocs/build/lease";
import type { PluginContext } from "../../../../contract/plugin-worker";
import { techdocsRepoFiles } from "../../../fake-github/techdocs-repo.mjs";
import { ADMIN, api, getJson, ingest, memberSession, postJson, uniq } from "../../helpers";

type Files = Record<string, string | Uint8Array>;

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const asUpload = (files: Files) => ({
  files: Object.entries(files)
    .filter(([p]) => p === "mkdocs.yml" || p.startsWith("docs/"))
    .map(([path, content]) => (typeof content === "string" ? { path, content } : { path, content: b64(content), encoding: "base64" })),
});

async function localEntity(name: string): Promise<Files> {
  const files = techdocsRepoFiles(name);
  const root = `/srv/${name}`;
  await ingest(`${root}/catalog-info.yaml`, { [`${root}/catalog-info.yaml`]: files["catalog-info.yaml"] as string });
  return files;
}

const upload = (name: string, body: unknown, headers: Record<string, string> = ADMIN) => postJson(`/api/plugins/techdocs/sites/default/component/${name}`, body, headers);

describe("techdocs upload (catalog:load)", () => {
  it("builds an uploaded site and serves its pages and images", async () => {
    const name = uniq("local-docs");
    const files = await localEntity(name);
    const res = await upload(name, asUpload(files));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", build: { rendered: 4, unchanged: 0, removed: 0, assetsCopied: 1, count: 1, trigger: "upload" }, problems: [] });
    const site = await getJson(`/api/plugins/techdocs/sites/default/component/${name}`);
    expect(site.body).toMatchObject({ siteName: `${name} handbook`, pageCount: 4, source: { type: "local", path: `/srv/${name}` }, links: { repoUrl: null } });
    const page = await getJson(`/api/plugins/techdocs/sites/default/component/${name}/page?path=guides%2Fsetup`);
    expect(page.body.page.html).toContain("zorblax");
    expect(page.body.meta).toMatchObject({ editUrl: null, viewUrl: null });
    const img = await api(`/api/plugins/techdocs/assets/default/component/${name}?path=img%2Flogo.png`);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
  });

  it("re-renders only the pages whose content changed, and removes pages no longer sent", async () => {
    const name = uniq("local-incremental");
    const files = await localEntity(name);
    await upload(name, asUpload(files));
    const same = await upload(name, asUpload(files));
    expect(same.body.build).toMatchObject({ rendered: 0, unchanged: 4, removed: 0, assetsCopied: 0, count: 2 });
    const changed = await upload(name, asUpload({ ...files, "docs/guides/setup.md": "# Setup\n\nChanged.\n" }));
    expect(changed.body.rendered).toEqual(["guides/setup"]);
    expect(changed.body.build).toMatchObject({ rendered: 1, unchanged: 3, removed: 0, count: 3 });
    const { "docs/xss.md": _gone, ...rest } = files;
    const removed = await upload(name, asUpload(rest));
    expect(removed.body.removed).toEqual(["xss"]);
    expect((await getJson(`/api/plugins/techdocs/sites/default/component/${name}/page?path=xss`)).status).toBe(404);
    expect(removed.body.problems).toEqual([expect.objectContaining({ name: "NavError", message: "nav entry 'xss.md' names a page that is not in docs/" })]);
  });

  it("refuses an upload while another build holds the site (409), and builds once it is released", async () => {
    const name = uniq("local-leased");
    const files = await localEntity(name);
    // What a build in progress holds: the techdocs plugin's lease on this site.
    const ctx = { storage: createPluginStorage(env.DB, "techdocs", DEFAULT_STORAGE_LIMITS) } as unknown as PluginContext;
    const lease = await claimBuildLease(ctx, `component:default/${name}`);
    expect(lease).not.toBeNull();
    const refused = await upload(name, asUpload(files));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ name: "ConflictError", message: expect.stringMatching(/another upload/) });
    expect((await getJson(`/api/plugins/techdocs/sites/default/component/${name}/page?path=guides%2Fsetup`)).status).toBe(404);
    await lease!.release();
    expect((await upload(name, asUpload(files))).status).toBe(200);
    // The upload released its own lease: the next one builds too.
    expect((await upload(name, asUpload(files))).body.build).toMatchObject({ rendered: 0, unchanged: 4 });
  });

  it("builds a docs/ folder without mkdocs.yml, nav in file order", async () => {
    const name = uniq("local-plain");
    await localEntity(name);
    const res = await upload(name, { files: [{ path: "docs/index.md", content: "# Home\n" }, { path: "docs/b.md", content: "# Bee\n" }, { path: "docs/a/index.md", content: "# Section A\n" }, { path: "docs/a/z.md", content: "# Zed\n" }] });
    expect(res.status).toBe(200);
    const site = await getJson(`/api/plugins/techdocs/sites/default/component/${name}`);
    expect(site.body.nav).toEqual([
      { title: "Home", pageId: "" },
      { title: "Bee", pageId: "b" },
      { title: "A", children: [{ title: "Section A", pageId: "a" }, { title: "Zed", pageId: "a/z" }] },
    ]);
  });

  it("fails a site with neither mkdocs.yml nor docs/index.md, saying why", async () => {
    const name = uniq("local-empty");
    await localEntity(name);
    const res = await upload(name, { files: [{ path: "notes/readme.md", content: "# x\n" }] });
    expect(res.body.status).toBe("failed");
    expect(res.body.problems[0]).toMatchObject({ name: "SourceError", message: "no mkdocs.yml and no docs/index.md: nothing to build" });
  });

  it("needs plugin.techdocs.write, which members do not hold by default", async () => {
    const name = uniq("local-perm");
    const files = await localEntity(name);
    const res = await upload(name, asUpload(files), { cookie: await memberSession() });
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe("NotAllowedError");
  });

  it.each([
    [{ files: [{ path: "../escape.md", content: "x" }] }],
    [{ files: [{ path: "/abs.md", content: "x" }] }],
    [{ files: [{ path: "docs/./a.md", content: "x" }] }],
    [{ files: [{ path: "docs/a.md", content: 1 }] }],
    [{ files: [{ path: "docs/a.png", content: "!!!", encoding: "base64" }] }],
    [{ files: [{ path: "docs/a.md", content: "x" }, { path: "docs/a.md", content: "y" }] }],
    [{ files: "nope" }],
    [[]],
  ])("refuses a bad upload body with a 400: %j", async (body) => {
    const name = "local-bad-body";
    await localEntity(name);
    const res = await upload(name, body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe("InputError");
  });

  it("refuses uploads for entities that are not in the catalog or not local", async () => {
    expect((await upload(uniq("nobody"), { files: [] })).status).toBe(404);
  });
});
