/**
 * Plugins add nothing but their manifests to the portal's initial JS. The portal is built with the
 * test-only fixture plugins (tests/fixtures/web-plugins) on top of the shipped list, and the initial JS is
 * what every page downloads before it renders: the entry chunk and, transitively, the chunks it imports
 * statically (the scripts and modulepreloads index.html names; scripts/bench/web.mjs measures the same set).
 * In it, code from plugins/** or the fixtures may be only each plugin's manifest and its table of dynamic
 * imports (`plugin.ts`, `web/index.ts`), which the sidebar and the entity page need before any plugin loads;
 * every component, and everything those import, must be in chunks loaded on first use.
 */
import { relative, resolve, sep } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { build, type Rolldown } from "vite";
import { buildWithFixturePlugins, ROOT } from "../fixtures/web-plugins/build";

type Chunk = Rolldown.OutputChunk;

let chunks: Chunk[];
let initial: Chunk[];

/** Source files of a plugin (shipped or fixture), relative to the repo root with '/' separators. */
const pluginFile = (id: string) => {
  const rel = relative(ROOT, id.split("?")[0]!).split(sep).join("/");
  return rel.startsWith("plugins/") || rel.startsWith("tests/fixtures/web-plugins/") ? rel : null;
};
const MANIFEST_PARTS = /^(plugins|tests\/fixtures\/web-plugins)\/[a-z0-9-]+\/(plugin\.ts|web\/index\.ts)$/;

beforeAll(async () => {
  const output = await buildWithFixturePlugins({ write: false });
  chunks = output.output.filter((o): o is Chunk => o.type === "chunk");
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const seen = new Set<string>();
  const visit = (c: Chunk) => {
    if (seen.has(c.fileName)) return;
    seen.add(c.fileName);
    for (const dep of c.imports) if (byName.has(dep)) visit(byName.get(dep)!);
  };
  for (const c of chunks) if (c.isEntry) visit(c);
  initial = [...seen].map((f) => byName.get(f)!);
}, 120_000);

describe("the portal's initial JS with plugins installed", () => {
  it("is the entry chunk and its static imports", () => {
    expect(initial.filter((c) => c.isEntry)).toHaveLength(1);
    expect(initial.length).toBeLessThan(chunks.length);
  });

  it("holds plugin manifests and import stubs, and no other plugin module", () => {
    const inInitial = initial.flatMap((c) => c.moduleIds.map(pluginFile).filter((f): f is string => f !== null));
    // The fixtures' manifests are there (the sidebar needs them), so the check below is not vacuous...
    expect(inInitial).toContain("tests/fixtures/web-plugins/fixture-radar/plugin.ts");
    expect(inInitial).toContain("tests/fixtures/web-plugins/fixture-radar/web/index.ts");
    // ...and nothing else of any plugin is.
    expect(inInitial.filter((f) => !MANIFEST_PARTS.test(f) && f !== "tests/fixtures/web-plugins/index.ts")).toEqual([]);
  });

  it("has zero bytes of plugin component code, which sits in chunks loaded on first use", () => {
    const text = initial.map((c) => c.code).join("\n");
    for (const marker of ["FIXTURE-RADAR-PAGE", "FIXTURE-API-NOTES", "FIXTURE-OWNER-CARD", "FIXTURE-THROWS", "FIXTURE-LOST-CHUNK"]) {
      expect(text.includes(marker), `${marker} is in the initial JS`).toBe(false);
      expect(chunks.some((c) => !initial.includes(c) && c.code.includes(marker)), `${marker} is in a lazy chunk`).toBe(true);
    }
    const componentModules = chunks.flatMap((c) => c.moduleIds.map(pluginFile).filter((f): f is string => f !== null && !MANIFEST_PARTS.test(f) && !f.endsWith("web-plugins/index.ts")));
    expect(componentModules.length).toBeGreaterThanOrEqual(5);
  });

  it("does not pull the plugin kit into the initial JS beyond what the host itself uses", () => {
    const kitIndex = initial.flatMap((c) => c.moduleIds).filter((id) => id.endsWith(`plugin-kit${sep}index.ts`));
    expect(kitIndex).toEqual([]);
  });

  it("keeps the Markdown renderer out of a docs deep link's first download (the reader's chunk and its static imports)", () => {
    const byName = new Map(chunks.map((c) => [c.fileName, c]));
    const docsPage = ["plugins", "techdocs", "web", "DocsPage.tsx"].join(sep);
    const reader = chunks.find((c) => c.moduleIds.some((id) => id.endsWith(docsPage)));
    expect(reader, "the docs page chunk").toBeDefined();
    const seen = new Set<string>();
    const visit = (c: Chunk) => {
      if (seen.has(c.fileName) || initial.includes(c)) return;
      seen.add(c.fileName);
      for (const dep of c.imports) if (byName.has(dep)) visit(byName.get(dep)!);
    };
    visit(reader!);
    const modules = [...seen].flatMap((f) => byName.get(f)!.moduleIds);
    expect(modules.some((id) => id.includes(`${sep}Reader.tsx`))).toBe(true);
    expect(modules.filter((id) => id.includes(`node_modules${sep}marked`) || id.endsWith(`components${sep}Markdown.tsx`))).toEqual([]);
  });
});

describe("the shipped portal's deep links", () => {
  let html = "";
  beforeAll(async () => {
    const out = await build({ configFile: resolve(ROOT, "vite.config.ts"), logLevel: "warn", build: { write: false } });
    const output = (Array.isArray(out) ? out[0] : out) as Rolldown.RolldownOutput;
    const page = output.output.find((o) => o.fileName === "index.html");
    html = page?.type === "asset" ? String(page.source) : "";
  }, 120_000);

  it("serves each deep link (a docs page, a template's form) in at most six files before its data, the connections a browser opens to one HTTP/1.1 host", () => {
    // What index.html names (boot.js, the entry, its modulepreloads, the CSS) and each deep-link route's preloads.
    const named = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]!).filter((f) => /\.(js|css)$/.test(f));
    expect(named).toContain("/boot.js");
    const map = JSON.parse(/<script id="edgestage-route-chunks" type="application\/json">([^<]*)<\/script>/.exec(html)?.[1] ?? "{}") as Record<string, string[]>;
    expect(Object.keys(map).sort()).toEqual(["/create/templates/", "/docs/"]);
    for (const prefix of ["/docs/", "/create/templates/"]) {
      const files = [...new Set([...named, ...(map[prefix] ?? [])])];
      expect(map[prefix]?.length, prefix).toBeGreaterThan(0);
      expect(files.length, `${prefix}: ${files.join(", ")}`).toBeLessThanOrEqual(6);
    }
    // The entry's shared code is one chunk (a group that imported the entry's modules split them back out).
    expect(named.filter((f) => f.endsWith(".js"))).toHaveLength(3);
  });

  it("has one stylesheet, in the page's head, and no deep link preloads another (the docs page's own was its last file to arrive)", () => {
    const sheets = [...html.matchAll(/<link[^>]*\shref="([^"]+\.css)"/g)].map((m) => m[1]!);
    expect(sheets).toHaveLength(1);
    const map = JSON.parse(/<script id="edgestage-route-chunks" type="application\/json">([^<]*)<\/script>/.exec(html)?.[1] ?? "{}") as Record<string, string[]>;
    expect(Object.values(map).flat().filter((f) => f.endsWith(".css"))).toEqual([]);
  });
});
