/// <reference types="vite/client" />
/**
 * The demo catalog's templates (catalog/demo/templates), each run end to end against the fake GitHub the way
 * `npm start` serves them: their files in brightcart/software-templates, the Template entities as the demo
 * catalog declares them (source location annotation included).
 */
import { describe, expect, it, vi } from "vitest";
import { load } from "js-yaml";
import { entity, quiesce } from "../ingestion/github-helpers";
import { installScaffolderGithub, registerTemplate, repoFiles, runTemplate } from "./helpers";

const RAW = import.meta.glob("../../../catalog/demo/templates/**/*", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const HIDDEN = import.meta.glob("../../../catalog/demo/templates/**/.github/**/*", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const files = Object.fromEntries(Object.entries({ ...RAW, ...HIDDEN }).map(([k, v]) => [k.replace("../../../catalog/demo/templates/", ""), v]));

const fake = installScaffolderGithub();
await fake.model.createRepo({ owner: "brightcart", name: "software-templates", files });

const uniqName = (p: string) => `${p}-${Math.random().toString(36).slice(2, 7)}`;

async function run(dir: string, values: Record<string, unknown>) {
  const template = load(files[`${dir}/template.yaml`]) as Record<string, any>;
  const ref = await registerTemplate(template);
  return runTemplate(ref, values);
}

describe("demo templates", () => {
  it("hono-worker: a Hono service on Workers, its CI workflow copied without templating", async () => {
    const name = uniqName("orders-api");
    const task = await run("hono-worker", { name, description: "Orders API", owner: "group:default/team-checkout", system: "system:default/checkout", tags: ["api", "orders"], repoUrl: `github.com?owner=brightcart&repo=${name}`, compatibilityDate: "2026-04-20" });
    expect(task.error?.message).toBeUndefined();
    const out = repoFiles(fake, "brightcart", name);
    expect(Object.keys(out).sort()).toEqual([".github/workflows/ci.yml", "README.md", "catalog-info.yaml", "docs/index.md", "mkdocs.yml", "package.json", "src/index.ts", "tsconfig.json", "wrangler.toml"]);
    expect(out[".github/workflows/ci.yml"]).toBe(files["hono-worker/skeleton/.github/workflows/ci.yml"]);
    expect(out["wrangler.toml"]).toContain(`name = "${name}"`);
    expect(JSON.parse(out["package.json"]).name).toBe(name);
    expect(out["src/index.ts"]).toContain(`service: "${name}"`);
    const info = load(out["catalog-info.yaml"]) as Record<string, any>;
    expect(info.metadata).toMatchObject({ name, description: "Orders API", tags: ["api", "orders"] });
    expect(info.spec).toMatchObject({ owner: "group:default/team-checkout", system: "system:default/checkout" });
    const repo = fake.model.findRepo("brightcart", name)!;
    expect(repo.topics).toEqual(["workers", "hono"]);
    expect(repo.teams?.get("team-checkout")).toBe("maintain");
    expect(repo.visibility).toBe("internal");
    await vi.waitUntil(async () => (await entity("component", name)).status === 200, { timeout: 10_000, interval: 20 });
  });

  it("solidjs-site: only .njk files are templates, JSX stays as written", async () => {
    const name = uniqName("gear-guide");
    const task = await run("solidjs-site", { name, title: "Gear guide", owner: "group:default/team-storefront", repoUrl: `github.com?owner=brightcart&repo=${name}`, visibility: "public" });
    expect(task.error?.message).toBeUndefined();
    const out = repoFiles(fake, "brightcart", name);
    expect(Object.keys(out).sort()).toEqual(["README.md", "catalog-info.yaml", "index.html", "package.json", "src/App.tsx", "src/index.tsx", "vite.config.ts", "wrangler.toml"]);
    expect(out["src/App.tsx"]).toBe(files["solidjs-site/skeleton/src/App.tsx"]);
    expect(out["index.html"]).toContain("<title>Gear guide</title>");
    expect(fake.model.findRepo("brightcart", name)!.visibility).toBe("public");
    await vi.waitUntil(async () => (await entity("component", name)).status === 200, { timeout: 10_000, interval: 20 });
  });

  it("techdocs-site: a docs-only repository with TechDocs", async () => {
    const name = uniqName("handbook");
    const task = await run("techdocs-site", { name, title: "Handbook", owner: "group:default/team-platform", repoUrl: `github.com?owner=brightcart&repo=${name}` });
    expect(task.error?.message).toBeUndefined();
    const out = repoFiles(fake, "brightcart", name);
    expect(Object.keys(out).sort()).toEqual(["catalog-info.yaml", "docs/index.md", "mkdocs.yml"]);
    expect(out["mkdocs.yml"]).toContain("site_name: Handbook");
    const seen = await vi.waitUntil(async () => {
      const e = await entity("component", name);
      return e.status === 200 ? e.body : false;
    }, { timeout: 10_000, interval: 20 });
    expect(seen.metadata.annotations["backstage.io/techdocs-ref"]).toBe("dir:.");
  });

  it("nodejs-service: runs too", async () => {
    const name = uniqName("loyalty");
    const task = await run("nodejs-service", { name, description: "Points", owner: "group:default/team-checkout", system: "system:default/checkout", repoUrl: `github.com?owner=brightcart&repo=${name}` });
    expect(task.error?.message).toBeUndefined();
    expect(Object.keys(repoFiles(fake, "brightcart", name))).toContain("catalog-info.yaml");
    await quiesce(fake);
  });
});
