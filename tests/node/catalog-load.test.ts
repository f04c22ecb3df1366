/**
 * `npm run catalog:load`: which files it sends, how it splits big loads, what it prints and how it exits
 * (against a fake portal on 127.0.0.1), and the demo catalog it loads on `npm start`.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAll } from "js-yaml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collectCatalog, MAX_FILE_BYTES, planRequests } from "../../scripts/lib/catalog-files.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = join(REPO, "scripts/catalog-load.mjs");
const DEMO = join(REPO, "catalog/demo");

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "catalog-load-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes `files` (path → content) under a new folder and returns its absolute path. */
function makeTree(name: string, files: Record<string, string>): string {
  const root = join(tmp, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const component = (name: string, extra = "") =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n${extra}`;

describe("file collection", () => {
  it("loads a folder through its catalog-info.yaml and sends every text file below it", () => {
    const root = makeTree("with-entry", {
      "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\nspec:\n  targets: [./components/a.yaml]\n",
      "components/a.yaml": component("a"),
      "components/b.yaml": component("b"),
      "apis/petstore.graphql": "type Query { pets: [String] }\n",
      "docs/index.md": "# Docs\n",
      "notes.txt": "not a catalog file\n",
      "node_modules/pkg/catalog-info.yaml": component("vendored"),
      ".git/info.yaml": "x: 1\n",
    });
    const catalog = collectCatalog(root);
    const rel = (p: string) => relative(root, p);

    expect(catalog.location).toEqual({ type: "file", target: root });
    expect(catalog.roots.map(rel)).toEqual(["catalog-info.yaml"]);
    expect(catalog.files.map((f) => rel(f.target)).sort()).toEqual(
      ["apis/petstore.graphql", "catalog-info.yaml", "components/a.yaml", "components/b.yaml", "docs/index.md"].sort(),
    );
    expect(catalog.files.find((f) => rel(f.target) === "components/a.yaml")?.content).toBe(component("a"));
  });

  it("without catalog-info.yaml, picks every YAML file with top-level apiVersion and kind lines", () => {
    const root = makeTree("without-entry", {
      "a.yaml": component("a"),
      "nested/b.yml": component("b"),
      "openapi.yaml": "openapi: 3.0.3\ninfo:\n  title: x\n  version: '1'\npaths: {}\n",
      "indented.yaml": "wrapper:\n  apiVersion: backstage.io/v1alpha1\n  kind: Component\n",
      "data.json": '{"apiVersion": "backstage.io/v1alpha1", "kind": "Component"}',
    });
    expect(collectCatalog(root).roots.map((p) => relative(root, p)).sort()).toEqual(["a.yaml", "nested/b.yml"]);
  });

  it("loads a single file as the only root, sending its folder tree along", () => {
    const root = makeTree("single", {
      "team/catalog.yaml": component("a", "  providesApis: [a-api]\n"),
      "team/apis/a.yaml": "openapi: 3.0.3\n",
      "other.yaml": component("elsewhere"),
    });
    const file = join(root, "team/catalog.yaml");
    const catalog = collectCatalog(file);
    expect(catalog.location.target).toBe(file);
    expect(catalog.roots).toEqual([file]);
    expect(catalog.files.map((f) => relative(root, f.target)).sort()).toEqual(["team/apis/a.yaml", "team/catalog.yaml"]);
  });

  it("skips files over 2 MB and says why", () => {
    const root = makeTree("big", { "catalog-info.yaml": component("a"), "huge.json": "x".repeat(MAX_FILE_BYTES + 1) });
    const catalog = collectCatalog(root);
    expect(catalog.files.map((f) => relative(root, f.target))).toEqual(["catalog-info.yaml"]);
    expect(catalog.skipped).toEqual([{ target: join(root, "huge.json"), reason: "2.0 MB is over the 2 MB limit" }]);
  });
});

describe("request planning", () => {
  it("sends one complete request when everything fits", () => {
    const catalog = collectCatalog(DEMO);
    const requests = planRequests(catalog);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ location: { type: "file", target: DEMO }, roots: [join(DEMO, "catalog-info.yaml")], complete: true });
    expect(requests[0].files).toHaveLength(catalog.files.length);
  });

  it("splits roots into several requests, each with the files its roots reach, complete only on the last", () => {
    const pad = "# " + "x".repeat(3000) + "\n";
    const root = makeTree("split", {
      "a.yaml": component("a", "  definition:\n    $text: ./defs/a.txt.md\n") + pad,
      "defs/a.txt.md": pad,
      "b.yaml": component("b") + pad,
      "c.yaml": component("c") + pad,
    });
    const catalog = collectCatalog(root);
    const requests = planRequests(catalog, 9000);
    expect(requests.length).toBeGreaterThan(1);
    for (const r of requests) expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThanOrEqual(9000);
    expect(requests.map((r) => r.complete)).toEqual(requests.map((_, i) => i === requests.length - 1));
    expect(requests.flatMap((r) => r.roots).sort()).toEqual(catalog.roots.sort());
    const withA = requests.find((r) => r.roots.includes(join(root, "a.yaml")));
    expect(withA?.files.map((f) => relative(root, f.target))).toContain("defs/a.txt.md");
  });

  it("refuses a single root that is too big to send on its own", () => {
    const root = makeTree("too-big", { "catalog-info.yaml": component("a") + "#" + "x".repeat(20_000) });
    expect(() => planRequests(collectCatalog(root), 10_000)).toThrow(/over the request limit/);
  });

  it("also splits by file count, which the worker caps per request", () => {
    const root = makeTree("many", { "a.yaml": component("a"), "b.yaml": component("b"), "c.yaml": component("c") });
    const requests = planRequests(collectCatalog(root), 8 * 1024 * 1024, 2);
    expect(requests.map((r) => r.files.length)).toEqual([2, 1]);
  });
});

/** A stand-in portal: records every request and answers with whatever the test queued. */
interface Recorded {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: any;
}
let server: Server;
let portal: string;
let recorded: Recorded[] = [];
type Reply = { status: number; body: unknown };
let reply: Reply | ((url: string) => Reply) = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      recorded.push({ method: req.method, url: req.url, headers: req.headers, body: JSON.parse(text) });
      const r = typeof reply === "function" ? reply(req.url ?? "") : reply;
      res.writeHead(r.status, { "content-type": "application/json" }).end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  portal = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  recorded = [];
});

/** Runs the real CLI as a child process (async, so the fake server in this process keeps answering). */
function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  if (!opts.env?.INIT_CWD) delete env.INIT_CWD; // set when vitest runs under npm; it would move relative paths
  if (!opts.env?.EDGESTAGE_ADMIN_TOKEN) delete env.EDGESTAGE_ADMIN_TOKEN;
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? tmp, env }, (err, stdout, stderr) =>
      done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const rejection = { entityRef: "component:default/b", docIndex: 1, field: "spec.owner", line: 12, name: "InputError", message: "spec.owner must be a non-empty string" };

describe("catalog:load CLI", () => {
  const cliTree = () =>
    makeTree("cli", {
      "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: cli\nspec:\n  targets: [./components.yaml]\n",
      "components.yaml": component("a") + "---\n" + component("b"),
    });
  const okResponse = (root: string, rejected: unknown[] = []) => ({
    location: { id: "loc-1", type: "file", target: root, entityRef: "location:default/generated-abc" },
    files: [
      { location: `file:${join(root, "catalog-info.yaml")}`, added: [], updated: [], removed: [], unchanged: ["location:default/cli"], rejected: [] },
      { location: `file:${join(root, "components.yaml")}`, added: ["component:default/a"], updated: ["component:default/b"], removed: ["component:default/old"], unchanged: [], rejected },
    ],
    summary: { added: 1, updated: 1, removed: 1, unchanged: 1, rejected: rejected.length },
  });

  it("posts the files with the token and prints a per-file report", async () => {
    const root = cliTree();
    reply = { status: 200, body: okResponse(root) };
    const { code, stdout } = await runCli([root, "--url", portal, "--token", "secret-1"], { cwd: tmp });

    expect(code).toBe(0);
    expect(recorded).toHaveLength(1);
    const [req] = recorded;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/api/catalog/ingest");
    expect(req.headers.authorization).toBe("Bearer secret-1");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body).toEqual({
      location: { type: "file", target: root },
      files: [
        { target: join(root, "catalog-info.yaml"), content: readFileSync(join(root, "catalog-info.yaml"), "utf8") },
        { target: join(root, "components.yaml"), content: readFileSync(join(root, "components.yaml"), "utf8") },
      ],
      roots: [join(root, "catalog-info.yaml")],
      complete: true,
    });
    expect(stdout).toMatch(/^ {2}cli\/catalog-info\.yaml +\+0 ~0 -0 =1$/m);
    expect(stdout).toMatch(/^ {2}cli\/components\.yaml +\+1 ~1 -1 =0$/m);
    expect(stdout).toContain("Summary: 1 added, 1 updated, 1 removed, 1 unchanged, 0 rejected in 2 files");
  });

  it("resolves a relative path against INIT_CWD, where npm was invoked", async () => {
    const root = cliTree();
    reply = { status: 200, body: okResponse(root) };
    const { code } = await runCli(["cli", "--url", portal], { cwd: REPO, env: { INIT_CWD: tmp } });
    expect(code).toBe(0);
    expect(recorded[0].body.location.target).toBe(root);
  });

  it("takes the token from EDGESTAGE_ADMIN_TOKEN, else from ADMIN_TOKEN in ./.dev.vars", async () => {
    const root = cliTree();
    reply = { status: 200, body: okResponse(root) };
    await runCli([root, "--url", portal], { env: { EDGESTAGE_ADMIN_TOKEN: "from-env" } });
    const withVars = makeTree("project", { ".dev.vars": 'EDGESTAGE_ENV=development\nADMIN_TOKEN="from-dev-vars"\n' });
    await runCli([root, "--url", portal], { cwd: withVars });
    expect(recorded.map((r) => r.headers.authorization)).toEqual(["Bearer from-env", "Bearer from-dev-vars"]);
  });

  it("prints each rejection with file:line, field and message, and exits 1", async () => {
    const root = cliTree();
    reply = { status: 200, body: okResponse(root, [rejection]) };
    const { code, stdout } = await runCli([root, "--url", portal, "--token", "t"]);
    expect(code).toBe(1);
    expect(stdout).toContain("✗ 1 rejected");
    expect(stdout).toContain("✗ cli/components.yaml:12 spec.owner (component:default/b): InputError: spec.owner must be a non-empty string");
    expect(stdout).toContain("1 rejected in 2 files");
  });

  it("prints the raw response with --json", async () => {
    const root = cliTree();
    reply = { status: 200, body: okResponse(root) };
    const { code, stdout } = await runCli([root, "--url", portal, "--token", "t", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(okResponse(root));
  });

  it("shows the server's error envelope and exits 1", async () => {
    reply = {
      status: 401,
      body: { error: { name: "AuthenticationError", message: "Invalid admin token" }, request: { method: "POST", url: "/api/catalog/ingest" }, response: { statusCode: 401 } },
    };
    const { code, stderr } = await runCli([cliTree(), "--url", portal, "--token", "wrong"]);
    expect(code).toBe(1);
    expect(stderr).toContain("catalog:load failed: AuthenticationError: Invalid admin token (HTTP 401)");
    expect(stderr).toContain("EDGESTAGE_ADMIN_TOKEN");
  });

  it("says to start the portal when the connection is refused", async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));

    const { code, stderr } = await runCli([cliTree(), "--url", `http://127.0.0.1:${port}`, "--token", "t"]);
    expect(code).toBe(1);
    expect(stderr).toContain(`Cannot connect to http://127.0.0.1:${port}: is the portal running? try npm start`);
  });

  it("reports a missing path and bad arguments without calling the portal", async () => {
    const missing = await runCli(["no-such-folder", "--url", portal]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No such file or folder: no-such-folder");
    const none = await runCli([]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("Usage: npm run catalog:load");
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--token <token>");
    expect(recorded).toHaveLength(0);
  });
});

// ---- The demo catalog ----------------------------------------------------------------------------------

type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; tags?: string[] }; spec?: any };

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Follows Location targets from the root, the way the portal will: only these documents are entities. */
function demoEntities(): { doc: Doc; file: string }[] {
  const out: { doc: Doc; file: string }[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const doc of loadAll(readFileSync(file, "utf8")) as Doc[]) {
      if (!doc) continue;
      out.push({ doc, file });
      if (doc.kind === "Location") for (const t of doc.spec.targets ?? [doc.spec.target]) visit(resolve(dirname(file), t));
    }
  };
  visit(join(DEMO, "catalog-info.yaml"));
  return out;
}

/** `[kind:][namespace/]name` → `kind:namespace/name`, lower-cased, with the field's default kind. */
function refOf(ref: string, defaultKind: string | undefined, defaultNamespace: string): string {
  const match = /^(?:([^:/]+):)?(?:([^/]+)\/)?(.+)$/.exec(ref);
  const kind = match?.[1] ?? defaultKind;
  if (!match || !kind) throw new Error(`"${ref}" needs a kind`);
  return `${kind}:${match[2] ?? defaultNamespace}/${match[3]}`.toLowerCase();
}

const REF_FIELDS: Record<string, string | undefined> = {
  owner: "group",
  system: "system",
  domain: "domain",
  subdomainOf: "domain",
  providesApis: "api",
  consumesApis: "api",
  dependsOn: undefined, // Backstage has no default kind here: refs must say `component:` or `resource:`
  dependencyOf: undefined,
  memberOf: "group",
  parent: "group",
  children: "group",
  members: "user",
  subcomponentOf: "component",
};

describe("catalog:load TechDocs upload", () => {
  const documented = (name: string) =>
    component(name).replace(`metadata:\n  name: ${name}\n`, `metadata:\n  name: ${name}\n  annotations:\n    backstage.io/techdocs-ref: dir:.\n`);
  const ingestOf = (root: string, name: string) => ({
    location: { id: "loc-d", type: "file", target: root, entityRef: "location:default/generated-d" },
    files: [{ location: `file:${join(root, "catalog-info.yaml")}`, added: [`component:default/${name}`], updated: [], removed: [], unchanged: [], rejected: [] }],
    summary: { added: 1, updated: 0, removed: 0, unchanged: 0, rejected: 0 },
  });

  it("uploads the docs folder of each loaded entity with a dir: techdocs-ref, images as base64", async () => {
    const root = makeTree("docs-site", {
      "catalog-info.yaml": documented("documented"),
      "mkdocs.yml": "site_name: Documented\nnav:\n  - Home: index.md\n",
      "docs/index.md": "# Home\n",
      "docs/guides/setup.md": "# Setup\n",
      "README.md": "not part of the docs\n",
    });
    mkdirSync(join(root, "docs/img"), { recursive: true });
    writeFileSync(join(root, "docs/img/logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    reply = (url) =>
      url === "/api/catalog/ingest"
        ? { status: 200, body: ingestOf(root, "documented") }
        : { status: 200, body: { build: { rendered: 2, unchanged: 0, removed: 0 }, problems: [{ name: "NavError", file: "mkdocs.yml", message: "nav entry 'x.md' names a page that is not in docs/" }] } };
    const { code, stdout } = await runCli([root, "--url", portal, "--token", "secret-1"]);
    expect(code).toBe(0);
    expect(recorded.map((r) => r.url)).toEqual(["/api/catalog/ingest", "/api/plugins/techdocs/sites/default/component/documented"]);
    const upload = recorded[1]!;
    expect(upload.headers.authorization).toBe("Bearer secret-1");
    const files = (upload.body as { files: { path: string; encoding: string; content: string }[] }).files;
    expect(files.map((f) => f.path).sort()).toEqual(["docs/guides/setup.md", "docs/img/logo.png", "docs/index.md", "mkdocs.yml"]);
    expect(files.find((f) => f.path === "docs/img/logo.png")).toMatchObject({ encoding: "base64", content: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString("base64") });
    expect(files.find((f) => f.path === "docs/index.md")).toMatchObject({ encoding: "utf8", content: "# Home\n" });
    expect(stdout).toContain("✓ component:default/documented: 2 page(s) rendered, 0 unchanged, 0 removed");
    expect(stdout).toContain("mkdocs.yml: NavError: nav entry 'x.md' names a page that is not in docs/");
  });

  it("sends an upload again while the site's build lease is held (409), then reports the build", async () => {
    const root = makeTree("docs-busy", { "catalog-info.yaml": documented("busy-docs"), "docs/index.md": "# Home\n" });
    let uploads = 0;
    reply = (url) => {
      if (url === "/api/catalog/ingest") return { status: 200, body: ingestOf(root, "busy-docs") };
      return ++uploads < 3
        ? { status: 409, body: { error: { name: "ConflictError", message: "being built by another upload" } } }
        : { status: 200, body: { build: { rendered: 1, unchanged: 0, removed: 0 }, problems: [] } };
    };
    const { code, stdout } = await runCli([root, "--url", portal, "--token", "t"], { env: { EDGESTAGE_UPLOAD_RETRY_MS: "1" } });
    expect(code).toBe(0);
    expect(uploads).toBe(3);
    expect(stdout).toContain("✓ component:default/busy-docs: 1 page(s) rendered");
  });

  it("exits 1 when an upload is refused", async () => {
    const root = makeTree("docs-refused", { "catalog-info.yaml": documented("refused-docs"), "docs/index.md": "# Home\n" });
    reply = (url) =>
      url === "/api/catalog/ingest"
        ? { status: 200, body: ingestOf(root, "refused-docs") }
        : { status: 403, body: { error: { name: "NotAllowedError", message: "needs plugin.techdocs.write" } } };
    const { code, stdout } = await runCli([root, "--url", portal, "--token", "t"]);
    expect(code).toBe(1);
    expect(stdout).toContain("✗ component:default/refused-docs: NotAllowedError: needs plugin.techdocs.write");
  });
});

describe("demo catalog (catalog/demo)", () => {
  const entities = demoEntities();
  const refs = new Set(entities.map(({ doc }) => refOf(doc.metadata.name, doc.kind, doc.metadata.namespace ?? "default")));

  it("parses: every YAML file loads with js-yaml loadAll", () => {
    const yamlFiles = listFiles(DEMO).filter((f) => /\.ya?ml$/.test(f));
    expect(yamlFiles.length).toBeGreaterThan(10);
    for (const file of yamlFiles) expect(() => loadAll(readFileSync(file, "utf8")), relative(REPO, file)).not.toThrow();
  });

  it("shows every kind, with the sizes the demo promises", () => {
    const count = (kind: string) => entities.filter(({ doc }) => doc.kind === kind).length;
    expect(count("Domain")).toBe(2);
    expect(count("System")).toBe(4);
    expect(count("Component")).toBeGreaterThanOrEqual(15);
    expect(count("API")).toBeGreaterThanOrEqual(8);
    expect(count("Resource")).toBeGreaterThanOrEqual(5);
    expect(count("Group")).toBe(5);
    expect(count("User")).toBeGreaterThanOrEqual(12);
    expect(count("Template")).toBeGreaterThanOrEqual(1);
    expect(count("Location")).toBeGreaterThanOrEqual(2);
    expect(refs.size).toBe(entities.length); // no entity defined twice
  });

  it("uses valid names and tags, and Backstage apiVersions", () => {
    for (const { doc, file } of entities) {
      const where = `${relative(DEMO, file)} ${doc.kind} ${doc.metadata.name}`;
      expect(doc.metadata.name, where).toMatch(/^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/);
      for (const tag of doc.metadata.tags ?? []) expect(tag, where).toMatch(/^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/);
      expect(doc.apiVersion, where).toBe(doc.kind === "Template" ? "scaffolder.backstage.io/v1beta3" : "backstage.io/v1alpha1");
    }
  });

  it("resolves every ref in spec fields to an entity defined in the demo", () => {
    const unresolved: string[] = [];
    let checked = 0;
    for (const { doc } of entities) {
      for (const [field, defaultKind] of Object.entries(REF_FIELDS)) {
        const value = doc.spec?.[field];
        if (value === undefined) continue;
        for (const ref of Array.isArray(value) ? value : [value]) {
          checked++;
          const full = refOf(ref, defaultKind, doc.metadata.namespace ?? "default");
          if (!refs.has(full)) unresolved.push(`${doc.kind} ${doc.metadata.name}: spec.${field} → ${full}`);
        }
      }
    }
    expect(unresolved).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it("uses every relation-bearing field at least once", () => {
    const used = new Set(entities.flatMap(({ doc }) => Object.keys(doc.spec ?? {})));
    for (const field of ["owner", "system", "domain", "providesApis", "consumesApis", "dependsOn", "memberOf", "parent", "children", "subcomponentOf"]) {
      expect(used, field).toContain(field);
    }
    const lifecycles = new Set(entities.map(({ doc }) => doc.spec?.lifecycle).filter(Boolean));
    expect([...lifecycles].sort()).toEqual(["deprecated", "experimental", "production"]);
  });

  it("gives every API a real definition: OpenAPI 3, AsyncAPI 2, GraphQL SDL and protobuf", () => {
    const types = new Set<string>();
    for (const { doc, file } of entities.filter(({ doc }) => doc.kind === "API")) {
      const def = doc.spec.definition;
      const text: string = typeof def === "string" ? def : readFileSync(resolve(dirname(file), def.$text), "utf8");
      types.add(doc.spec.type);
      if (doc.spec.type === "openapi" || doc.spec.type === "asyncapi") {
        const parsed = loadAll(text)[0] as any;
        expect(parsed[doc.spec.type], doc.metadata.name).toMatch(doc.spec.type === "openapi" ? /^3\./ : /^2\./);
        // Every local $ref points somewhere inside the same document.
        for (const [, path] of text.matchAll(/\$ref: '#\/([^']+)'/g)) {
          const target = path.split("/").reduce((node: any, key) => node?.[key], parsed);
          expect(target, `${doc.metadata.name} $ref #/${path}`).toBeDefined();
        }
        if (doc.spec.type === "openapi") expect(Object.keys(parsed.paths).length, doc.metadata.name).toBeGreaterThanOrEqual(2);
      }
      if (doc.spec.type === "graphql") expect(text).toMatch(/type Query \{/);
      if (doc.spec.type === "grpc") expect(text).toMatch(/^service \w+ \{/m);
    }
    expect([...types].sort()).toEqual(["asyncapi", "graphql", "grpc", "openapi"]);
    const inline = entities.filter(({ doc }) => doc.kind === "API" && typeof doc.spec.definition === "string");
    expect(inline.length).toBeGreaterThanOrEqual(2);
  });

  it("points TechDocs refs at folders with an mkdocs.yml", () => {
    const withDocs = entities.filter(({ doc }) => (doc.metadata as any).annotations?.["backstage.io/techdocs-ref"]);
    expect(withDocs.length).toBeGreaterThanOrEqual(2);
    for (const { doc, file } of withDocs) {
      const dir = resolve(dirname(file), (doc.metadata as any).annotations["backstage.io/techdocs-ref"].replace(/^dir:/, ""));
      expect(statSync(join(dir, "mkdocs.yml")).isFile(), doc.metadata.name).toBe(true);
    }
  });
});
