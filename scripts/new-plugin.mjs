#!/usr/bin/env node
/**
 * `npm run new-plugin -- <id> [--root <dir>]`: creates a working plugin skeleton (plugins/<id>/{plugin.ts,
 * worker.ts, web/index.ts, web/Page.tsx, README.md} and tests/worker/plugins/<id>.test.ts) and adds its one
 * line to worker/plugins.ts and to web/src/plugins.ts. Refuses ids the manifest check would refuse, an
 * existing folder or test, and plugin lists it cannot read; nothing is written unless every check passed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PLUGIN_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_ID = 40;
/** Ids that would shadow a portal or API path segment the core owns. */
const RESERVED = new Set(["api", "auth", "catalog", "search", "github", "jobs", "plugins", "create", "docs", "settings", "admin", "health"]);

export const camel = (id) => id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
export const titleOf = (id) => id.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");

export function checkId(id) {
  if (typeof id !== "string" || !id) return "give the plugin's id: npm run new-plugin -- <id>";
  if (!PLUGIN_ID.test(id) || id.length > MAX_ID) return `'${id}' is not a plugin id: lower-case words of a-z and 0-9 joined by single '-', starting with a letter, at most ${MAX_ID} characters`;
  if (RESERVED.has(id)) return `'${id}' is reserved for the core's own paths`;
  return null;
}

/** Adds `import <name> from "<from>";` after the list's last import and `<name>` to the `<list>` array. */
export function addToList(source, { list, name, from }) {
  const array = new RegExp(`(export const ${list}\\s*:\\s*readonly \\w+\\[\\]\\s*=\\s*\\[)([^\\]]*)(\\])`);
  const m = array.exec(source);
  if (!m) throw new Error(`cannot find 'export const ${list}: readonly X[] = [...]'`);
  if (new RegExp(`\\bimport\\s+${name}\\b`).test(source) || m[2].split(",").some((e) => e.trim() === name)) throw new Error(`'${name}' is already listed`);
  const items = m[2].split(",").map((s) => s.trim()).filter(Boolean);
  const multiline = m[2].includes("\n");
  const body = multiline ? `\n${[...items, name].map((i) => `  ${i},`).join("\n")}\n` : [...items, name].join(", ");
  let out = source.slice(0, m.index) + m[1] + body + m[3] + source.slice(m.index + m[0].length);
  const line = `import ${name} from "${from}";\n`;
  const imports = [...out.matchAll(/^import [^\n]*\n/gm)];
  const last = imports[imports.length - 1];
  out = last ? out.slice(0, last.index + last[0].length) + line + out.slice(last.index + last[0].length) : line + out;
  return out;
}

export function files(id) {
  const name = camel(id);
  const title = titleOf(id);
  return {
    [`plugins/${id}/plugin.ts`]: `/** ${title}: the manifest both halves read (what the plugin is, its page, its permission). */
import { definePlugin } from "../../contract/plugin";

export default definePlugin({
  id: "${id}",
  title: "${title}",
  version: "0.1.0",
  description: "Describe what ${title} is for.",
  nav: [{ path: "/${id}", title: "${title}" }],
  permissions: [{ name: "plugin.${id}.write", description: "write ${title} notes" }],
});
`,
    [`plugins/${id}/worker.ts`]: `/** ${title}'s worker part: its routes under /api/plugins/${id}/, each with the permission it needs. */
import { ApiError, definePluginWorker, pluginRouter } from "../../worker/plugins/api";
import manifest from "./plugin";

const MAX_NOTE = 2000;

export default definePluginWorker(manifest, {
  app: pluginRouter()
    .get("/hello", { permission: "catalog.entity.read" }, (c) => c.json({ plugin: c.env.plugin.id, caller: c.env.plugin.caller.ref }))
    .get("/notes/:key", { permission: "catalog.entity.read" }, async (c) => {
      const note = await c.env.plugin.storage.table("notes").get(c.req.param("key"));
      if (note === undefined) throw new ApiError("NotFoundError", \`No note '\${c.req.param("key")}'\`);
      return c.json(note);
    })
    .put("/notes/:key", { permission: "plugin.${id}.write" }, async (c) => {
      const body = await c.req.json<{ text?: unknown }>();
      if (typeof body?.text !== "string" || body.text.length > MAX_NOTE) throw new ApiError("InputError", \`text: a string of at most \${MAX_NOTE} characters\`);
      await c.env.plugin.storage.table("notes").put(c.req.param("key"), { text: body.text, by: c.env.plugin.caller.ref });
      return c.body(null, 204);
    }),
});
`,
    [`plugins/${id}/web/index.ts`]: `/** ${title}'s web part: its page, loaded only when opened. */
import { definePluginWeb } from "../../../contract/plugin-web";
import manifest from "../plugin";

export default definePluginWeb({
  manifest,
  pages: { "/${id}": () => import("./Page") },
});
`,
    [`plugins/${id}/web/Page.tsx`]: `/** ${title}'s page at /${id}: says hello through the plugin's own API. */
import { createResource, Show, type JSX } from "solid-js";
import type { PluginPageProps } from "../../../contract/plugin-web";

export default function ${name[0].toUpperCase() + name.slice(1)}Page(props: PluginPageProps): JSX.Element {
  const [hello] = createResource(() => props.api.fetchJson<{ plugin: string; caller: string | null }>("/hello"));
  return (
    <section data-testid="${id}-page">
      <h1>${title}</h1>
      <Show when={hello()} fallback={<p>Loading…</p>}>
        {(h) => <p>Hello from {h().plugin}{h().caller ? \`, \${h().caller}\` : ""}.</p>}
      </Show>
    </section>
  );
}
`,
    [`plugins/${id}/README.md`]: `# ${title}

Describe in three lines what ${title} is for, what it shows (the /${id} page) and what it stores (notes).
Worker: \`worker.ts\` (routes under \`/api/plugins/${id}/\`); web: \`web/\`; tests: \`tests/worker/plugins/${id}.test.ts\`.
`,
    [`tests/worker/plugins/${id}.test.ts`]: `/** ${title}: its routes answer through the access seam, and its notes live in its own storage. */
import { describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app";
import ${name} from "../../../plugins/${id}/worker";
import { BASE } from "../helpers";
import { json, memberSession, requester } from "./helpers";

const request = requester(createApp([${name}]));
const put = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  request(\`/api/plugins/${id}/notes/\${key}\`, { method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });

describe("${id}", () => {
  it("says hello to a reader", async () => {
    const res = await request("/api/plugins/${id}/hello");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ plugin: "${id}", caller: expect.any(String) });
  });

  it("stores a note for writers, and answers bad input and missing notes in the error shape", async () => {
    expect((await put("first", { text: "hi" })).status).toBe(204);
    expect(await json(await request("/api/plugins/${id}/notes/first"))).toMatchObject({ text: "hi" });
    expect((await put("bad", { text: 42 })).status).toBe(400);
    expect((await json(await request("/api/plugins/${id}/notes/missing"))).error.name).toBe("NotFoundError");
  });

  it("refuses writes to callers without plugin.${id}.write, and anonymous reads", async () => {
    const cookie = await memberSession();
    expect((await put("x", { text: "no" }, { cookie, origin: BASE })).status).toBe(403);
    expect((await request("/api/plugins/${id}/hello", { headers: { "x-anonymous": "1" } })).status).toBe(401);
  });
});
`,
  };
}

export function newPlugin(root, id) {
  const problem = checkId(id);
  if (problem) throw new Error(problem);
  const out = files(id);
  if (existsSync(join(root, "plugins", id))) throw new Error(`plugins/${id} already exists`);
  for (const path of Object.keys(out)) if (existsSync(join(root, path))) throw new Error(`${path} already exists`);
  const lists = [
    ["worker/plugins.ts", { list: "PLUGINS", name: camel(id), from: `../plugins/${id}/worker` }],
    ["web/src/plugins.ts", { list: "WEB_PLUGINS", name: camel(id), from: `../../plugins/${id}/web` }],
  ];
  const edited = lists.map(([path, entry]) => {
    const file = join(root, path);
    if (!existsSync(file)) throw new Error(`${path} is missing`);
    try {
      return [file, addToList(readFileSync(file, "utf8"), entry)];
    } catch (err) {
      throw new Error(`${path}: ${err.message}`);
    }
  });
  for (const [path, text] of Object.entries(out)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  for (const [file, text] of edited) writeFileSync(file, text);
  return [...Object.keys(out), ...lists.map(([p]) => p)];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--root");
  const root = at === -1 ? resolve(dirname(fileURLToPath(import.meta.url)), "..") : resolve(args[at + 1] ?? ".");
  const id = args.filter((_, i) => at === -1 || (i !== at && i !== at + 1))[0];
  try {
    const written = newPlugin(root, id);
    console.log(`Created plugin '${id}':\n${written.map((p) => `  ${p}`).join("\n")}\nNext: npx vitest run --project worker tests/worker/plugins/${id}.test.ts`);
  } catch (err) {
    console.error(`new-plugin: ${err.message}`);
    process.exit(1);
  }
}
