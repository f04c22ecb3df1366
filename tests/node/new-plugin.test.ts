/**
 * `npm run new-plugin -- <id>` in a temporary copy of the source: it writes the plugin's files and its test,
 * adds one line to each plugin list (either list form), typechecks as part of the worker and the portal,
 * and refuses bad ids, existing folders and lists it cannot edit without writing anything.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addToList, checkId } from "../../scripts/new-plugin.mjs";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");
let tmp: string;

/** What the generated code and the two typecheck configs need; the rest of the repo stays out. */
const COPY = ["contract", "worker", "web/src", "web/tsconfig.json", "plugins", "tests/worker", "tests/fake-github", "tests/fixtures", "tsconfig.json", "worker-configuration.d.ts", "scripts/new-plugin.mjs", "package.json"];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "new-plugin-"));
  for (const p of COPY) cpSync(join(ROOT, p), join(tmp, p), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(tmp, "node_modules"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const generate = (...args: string[]) => run(process.execPath, ["scripts/new-plugin.mjs", ...args], { cwd: tmp }).then(
  (r) => ({ code: 0, ...r }),
  (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
);

describe("new-plugin", () => {
  it("creates the plugin's files and test and lists it in both plugin lists", async () => {
    const before = { worker: readFileSync(join(tmp, "worker/plugins.ts"), "utf8"), web: readFileSync(join(tmp, "web/src/plugins.ts"), "utf8") };
    const res = await generate("hello-world", "--root", tmp);
    expect(res.code).toBe(0);
    for (const f of ["plugin.ts", "worker.ts", "web/index.ts", "web/Page.tsx", "README.md"]) expect(existsSync(join(tmp, "plugins/hello-world", f))).toBe(true);
    expect(readFileSync(join(tmp, "plugins/hello-world/plugin.ts"), "utf8")).toContain('id: "hello-world"');
    expect(readFileSync(join(tmp, "tests/worker/plugins/hello-world.test.ts"), "utf8")).toContain('import helloWorld from "../../../plugins/hello-world/worker"');
    const worker = readFileSync(join(tmp, "worker/plugins.ts"), "utf8");
    const web = readFileSync(join(tmp, "web/src/plugins.ts"), "utf8");
    expect(worker).toContain('import helloWorld from "../plugins/hello-world/worker";\n');
    expect(web).toContain('import helloWorld from "../../plugins/hello-world/web";\n');
    expect(worker).toMatch(/PLUGINS: readonly WorkerPlugin\[\] = \[[^\]]*helloWorld\]/);
    expect(web).toMatch(/WEB_PLUGINS: readonly WebPlugin\[\] = \[[^\]]*helloWorld\]/);
    // One import and one list entry each, nothing else touched.
    expect(worker.split("\n").length - before.worker.split("\n").length).toBe(1);
    expect(web.split("\n").length - before.web.split("\n").length).toBe(1);
  });

  it("typechecks as part of the worker (with its test) and the portal", async () => {
    const tsc = join(ROOT, "node_modules/.bin/tsc");
    await expect(run(tsc, ["-p", "tsconfig.json"], { cwd: tmp })).resolves.toBeDefined();
    await expect(run(tsc, ["-p", "web/tsconfig.json"], { cwd: tmp })).resolves.toBeDefined();
  }, 120_000);

  it("refuses bad ids, reserved ids and existing plugins, writing nothing", async () => {
    const lists = () => readFileSync(join(tmp, "worker/plugins.ts"), "utf8") + readFileSync(join(tmp, "web/src/plugins.ts"), "utf8");
    const before = lists();
    for (const id of ["", "Hello", "hello_world", "-x", "x-", "a--b", "9lives", "x".repeat(41), "api", "hello-world"]) {
      const res = await generate(...(id ? [id] : []), "--root", tmp);
      expect(res.code, id).toBe(1);
      expect(res.stderr).toMatch(/^new-plugin: /);
    }
    expect(lists()).toBe(before);
    expect(existsSync(join(tmp, "plugins/Hello"))).toBe(false);
  });

  it("refuses when a plugin list is not in the form it can edit, and writes no files", async () => {
    const web = join(tmp, "web/src/plugins.ts");
    const saved = readFileSync(web, "utf8");
    writeFileSync(web, "export const plugins = [];\n");
    const res = await generate("other-one", "--root", tmp);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("web/src/plugins.ts: cannot find 'export const WEB_PLUGINS");
    expect(existsSync(join(tmp, "plugins/other-one"))).toBe(false);
    expect(readFileSync(join(tmp, "worker/plugins.ts"), "utf8")).not.toContain("otherOne");
    writeFileSync(web, saved);
  });

  it("edits empty, one-line and multi-line lists", () => {
    const entry = { list: "PLUGINS", name: "b", from: "../plugins/b/worker" };
    expect(addToList('import type { W } from "x";\n\nexport const PLUGINS: readonly W[] = [];\n', entry)).toBe('import type { W } from "x";\nimport b from "../plugins/b/worker";\n\nexport const PLUGINS: readonly W[] = [b];\n');
    expect(addToList('import a from "./a";\nexport const PLUGINS: readonly W[] = [\n  a,\n];\n', entry)).toBe('import a from "./a";\nimport b from "../plugins/b/worker";\nexport const PLUGINS: readonly W[] = [\n  a,\n  b,\n];\n');
    expect(() => addToList('import b from "./b";\nexport const PLUGINS: readonly W[] = [b];\n', entry)).toThrow(/already listed/);
    expect(checkId("ok-id")).toBeNull();
  });
});
