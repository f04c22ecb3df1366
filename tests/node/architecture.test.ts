/**
 * The import graph's rules, checked over the source (a small scan, no dependency-cruiser): plugins reach the
 * core only through its public APIs, the portal never imports worker code, contract/ stays pure, the catalog
 * model does no I/O, and SQL lives in store modules. A new file that breaks one fails here, named.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const posix = (p: string) => p.split(sep).join("/");

function walk(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (name === "node_modules" || name.startsWith(".")) return [];
    return statSync(join(ROOT, rel)).isDirectory() ? walk(rel) : /\.(ts|tsx|mts)$/.test(name) && !name.endsWith(".d.ts") ? [rel] : [];
  });
}

/** Source with comments removed (a doc comment may show an import as an example). */
function code(file: string): string {
  return readFileSync(join(ROOT, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .split("\n")
    .filter((l) => !l.trim().startsWith("//"))
    .join("\n");
}

interface Edge {
  from: string;
  specifier: string;
  /** Repo-relative file for a relative import, null for a package. */
  to: string | null;
  typeOnly: boolean;
}

function resolveFrom(file: string, specifier: string): string {
  const base = posix(normalize(join(dirname(file), specifier.replace(/\?.*$/, ""))));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.mts`, `${base}.mjs`, `${base}.js`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(join(ROOT, candidate)) && statSync(join(ROOT, candidate)).isFile()) return candidate;
  }
  return base;
}

function importsOf(file: string): Edge[] {
  const src = code(file);
  const out: Edge[] = [];
  const patterns = [/(?:^|[;\n])\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g, /(?:^|[;\n])\s*import\s*["']([^"']+)["']/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
  for (const [i, re] of patterns.entries()) {
    for (const m of src.matchAll(re)) {
      const specifier = i === 0 ? m[3]! : m[1]!;
      const typeOnly = i === 0 && Boolean(m[2]);
      out.push({ from: file, specifier, to: specifier.startsWith(".") ? resolveFrom(file, specifier) : null, typeOnly });
    }
  }
  return out;
}

const FILES = ["worker", "web/src", "contract", "plugins"].flatMap(walk);
const EDGES = FILES.flatMap(importsOf);
const show = (e: Edge) => `${e.from} imports ${e.specifier}`;

describe("the import graph", () => {
  it("sees the code it checks", () => {
    expect(FILES.length).toBeGreaterThan(200);
    expect(EDGES.some((e) => e.from === "web/src/App.tsx" && e.to === "web/src/plugins.ts")).toBe(true);
  });

  it("plugin code imports only contract/, worker/plugins/api.ts, web/src/plugin-kit/, its own folder and packages", () => {
    const bad = EDGES.filter((e) => e.from.startsWith("plugins/") && e.to !== null).filter((e) => {
      const own = e.from.split("/").slice(0, 2).join("/") + "/";
      return !(e.to!.startsWith(own) || e.to!.startsWith("contract/") || e.to === "worker/plugins/api.ts" || e.to!.startsWith("web/src/plugin-kit/"));
    });
    expect(bad.map(show)).toEqual([]);
  });

  it("plugin code reaches no worker runtime or bindings module by package name either", () => {
    const bad = EDGES.filter((e) => e.from.startsWith("plugins/") && e.to === null && /^cloudflare:/.test(e.specifier));
    expect(bad.map(show)).toEqual([]);
  });

  it("the portal imports no worker code, and the worker no portal code", () => {
    const bad = EDGES.filter((e) => (e.from.startsWith("web/") && e.to?.startsWith("worker/")) || (e.from.startsWith("worker/") && e.to?.startsWith("web/")));
    expect(bad.map(show)).toEqual([]);
  });

  it("contract/ imports only contract/ and runtime-neutral packages (Hono and Solid for types only)", () => {
    const RUNTIME = /^(hono|solid-js|@solidjs\/|drizzle-orm|cloudflare:)/;
    const bad = EDGES.filter((e) => e.from.startsWith("contract/") && (e.to === null ? RUNTIME.test(e.specifier) && !e.typeOnly : !e.to.startsWith("contract/")));
    expect(bad.map(show)).toEqual([]);
  });

  it("the catalog model imports no store, routes, Hono or drizzle, directly or through another module", () => {
    const MODEL = ["diff", "entity-ref", "fields", "hash", "kinds", "location-url", "model-error", "parse-yaml", "placeholders", "process-file", "relations", "search-index", "types", "validation"].map((m) => `worker/catalog/${m}.ts`);
    const bad: string[] = [];
    for (const start of MODEL) {
      const seen = new Set<string>();
      const stack = [start];
      while (stack.length) {
        const file = stack.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const e of EDGES.filter((x) => x.from === file)) {
          if (e.to === null ? /^(hono|drizzle-orm)(\/|$)/.test(e.specifier) : /\/store(\/|\.ts$)|\/routes(\/|\.ts$)|^worker\/db\//.test(e.to)) bad.push(`${start}: ${show(e)}`);
          else if (e.to?.startsWith("worker/") || e.to?.startsWith("contract/")) stack.push(e.to);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("SQL is written only in store modules", () => {
    // Known exceptions, each with its reason; a new one needs a line here.
    const EXCEPTIONS: Record<string, string> = {
      "worker/catalog/read-cache.ts": "reads the catalog version row on every request, before any store is involved",
      "worker/jobs/dead-letters.ts": "the dead-letter list is its own small store (issue 5)",
    };
    const isStore = (f: string) => /(^|\/)store(\/|\.ts$)/.test(f);
    const bad = FILES.filter((f) => f.startsWith("worker/") && !isStore(f) && !Object.hasOwn(EXCEPTIONS, f) && /\.prepare\(\s*[`"']|\bsql`/.test(code(f)));
    expect(bad).toEqual([]);
  });
});
