/**
 * TechDocs follows the catalog (onCatalogChange, through the queue): an entity that drops its techdocs-ref
 * annotation, or leaves the catalog, takes its site with it; entities without docs cost no site lookups
 * while the plugin holds no site at all (the hook's cheap path), and still answer as before.
 */
import { describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:test";
import { createPluginStorage, DEFAULT_STORAGE_LIMITS } from "../../../../worker/plugins/context/storage";
import { techdocsRepoFiles } from "../../../fake-github/techdocs-repo.mjs";
import { getJson, ingest, postJson, uniq } from "../../helpers";

const site = (name: string) => getJson(`/api/plugins/techdocs/sites/default/component/${name}`);
/** The site's stored record (the route also answers 404 once the entity is gone, so ask the plugin's storage). */
const stored = (name: string) => createPluginStorage(env.DB, "techdocs", DEFAULT_STORAGE_LIMITS).table("sites").get(`component:default/${name}`);
const gone = (name: string) => vi.waitUntil(async () => (await site(name)).status === 404 && (await stored(name)) === undefined, { timeout: 20_000, interval: 200 });

async function localSite(name: string): Promise<{ root: string; yaml: string }> {
  const files = techdocsRepoFiles(name);
  const root = `/srv/${name}`;
  const yaml = files["catalog-info.yaml"] as string;
  await ingest(`${root}/catalog-info.yaml`, { [`${root}/catalog-info.yaml`]: yaml });
  const upload = Object.entries(files)
    .filter(([p, c]) => typeof c === "string" && (p === "mkdocs.yml" || p.startsWith("docs/")))
    .map(([path, content]) => ({ path, content }));
  const res = await postJson(`/api/plugins/techdocs/sites/default/component/${name}`, { files: upload });
  expect(res.status).toBe(200);
  expect((await site(name)).status).toBe(200);
  expect(await stored(name)).toBeDefined();
  return { root, yaml };
}

describe("techdocs on catalog changes", () => {
  it("lets entities without docs come and go while no site exists", async () => {
    const name = uniq("no-docs");
    const root = `/srv/${name}`;
    const yaml = JSON.stringify({ apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name }, spec: { type: "service", owner: "team", lifecycle: "production" } });
    await ingest(`${root}/catalog-info.yaml`, { [`${root}/catalog-info.yaml`]: yaml });
    await ingest(`${root}/catalog-info.yaml`, { [`${root}/catalog-info.yaml`]: "" });
    expect((await site(name)).status).toBe(404);
  });

  it("removes the site of an entity that drops its techdocs-ref annotation", async () => {
    const name = uniq("drops-docs");
    const { root, yaml } = await localSite(name);
    const without = yaml.replace(/^\s*backstage\.io\/techdocs-ref:.*$/m, "    example.test/other: x");
    expect(without).not.toContain("techdocs-ref");
    await ingest(`${root}/catalog-info.yaml`, { [`${root}/catalog-info.yaml`]: without });
    await gone(name);
  });

  it("removes the site of an entity that leaves the catalog", async () => {
    const name = uniq("leaves");
    const { root } = await localSite(name);
    await ingest(`${root}/catalog-info.yaml`, { [`${root}/catalog-info.yaml`]: "" });
    await gone(name);
  });
});
