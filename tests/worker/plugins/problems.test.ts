/**
 * Plugins' problems with entities (PluginContext.problems): recorded against an entity, they are returned
 * wherever its processing errors are (status.items, /processing-errors, entity-info) with the plugin named;
 * a plugin replaces or clears only its own (never another plugin's, never the catalog's own errors); the
 * catalog's file reads never drop them, removing the entity does; bounds and bad input are 4xx, never a 500.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app";
import { definePluginWorker, pluginRouter, type PluginProblem } from "../../../worker/plugins/api";
import { component, ingest, uniq, yamlDocs } from "../helpers";
import { json, requester } from "./helpers";

/** A plugin whose routes hand their body straight to ctx.problems, as a plugin's build would. */
function problemPlugin(id: string) {
  return definePluginWorker(
    { id, title: `Plugin ${id.toUpperCase()}`, version: "1.0.0", permissions: [{ name: `plugin.${id}.write`, description: "record problems" }] },
    {
      app: pluginRouter()
        .put("/problems/:ref", { permission: `plugin.${id}.write` }, async (c) => {
          await c.env.plugin.problems.replace(c.req.param("ref"), (await c.req.json()) as PluginProblem[]);
          return c.body(null, 204);
        })
        .delete("/problems/:ref", { permission: `plugin.${id}.write` }, async (c) => {
          await c.env.plugin.problems.clear(c.req.param("ref"));
          return c.body(null, 204);
        })
        .get("/problems/:ref", { permission: "catalog.entity.read" }, async (c) => c.json(await c.env.plugin.problems.list(c.req.param("ref")))),
    },
  );
}

const app = createApp([problemPlugin("alpha"), problemPlugin("beta")]);
const request = requester(app);
const enc = encodeURIComponent;

const put = (plugin: string, ref: string, body: unknown) =>
  request(`/api/plugins/${plugin}/problems/${enc(ref)}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const clear = (plugin: string, ref: string) => request(`/api/plugins/${plugin}/problems/${enc(ref)}`, { method: "DELETE" });
const list = async (plugin: string, ref: string) => json(await request(`/api/plugins/${plugin}/problems/${enc(ref)}`));
const entityInfo = async (name: string) => json(await request(`/api/catalog/entity-info/component/default/${name}`));
const entity = async (name: string) => json(await request(`/api/catalog/entities/by-name/component/default/${name}`));
const listed = async (ref: string) => (await json(await request(`/api/catalog/processing-errors?entityRef=${enc(ref)}`))).items;

/** An entity whose file carries a catalog error of its own (the second version has a bad owner). */
async function entityWithCoreError() {
  const root = `/${uniq("r")}`;
  const name = uniq("c");
  await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(name)) });
  await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(name, { owner: 42 })) });
  return { root, name, ref: `component:default/${name}` };
}

const mkdocs: PluginProblem = { name: "MkdocsError", message: "mkdocs.yml is not valid YAML (line 2)", field: "mkdocs.yml", line: 2, commitSha: "a".repeat(40) };

describe("plugin problems on an entity", () => {
  it("are returned with the entity's processing errors and status, named as the plugin's, and cleared by the plugin", async () => {
    const { name, ref } = await entityWithCoreError();
    expect((await entity(name)).status.items).toHaveLength(1);

    expect((await put("alpha", ref, [mkdocs])).status).toBe(204);
    const info = await entityInfo(name);
    expect(info.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "InputError", location: expect.stringMatching(/^file:/) }),
        { location: "plugin:alpha", entityRef: ref, docIndex: null, field: "mkdocs.yml", line: 2, name: "MkdocsError", message: mkdocs.message, commitSha: "a".repeat(40), createdAt: expect.any(String), plugin: "alpha" },
      ]),
    );
    // The catalog's own errors keep their shape (no plugin field).
    expect(info.errors.find((e: { location: string }) => e.location.startsWith("file:"))).not.toHaveProperty("plugin");
    expect(await listed(ref)).toHaveLength(2);
    // status.items, through the read cache: the write moved what the cached answer depends on.
    const items = (await entity(name)).status.items;
    expect(items).toHaveLength(2);
    expect(items).toContainEqual({ type: "backstage.io/catalog-processing", level: "error", message: `MkdocsError: ${mkdocs.message}`, error: { name: "MkdocsError", message: mkdocs.message }, plugin: "alpha" });
    expect(await list("alpha", ref)).toEqual([mkdocs]);

    expect((await clear("alpha", ref)).status).toBe(204);
    expect((await entityInfo(name)).errors.map((e: { name: string }) => e.name)).toEqual(["InputError"]);
    expect((await entity(name)).status.items).toHaveLength(1);
  });

  it("are replaced as a set, and writing the same set again changes nothing", async () => {
    const { name, ref } = await entityWithCoreError();
    await put("alpha", ref, [mkdocs, { name: "NavError", message: "nav entry 'x.md' names a page that is not in docs/" }]);
    const first = (await entityInfo(name)).errors.filter((e: { plugin?: string }) => e.plugin);
    expect(first.map((e: { name: string }) => e.name).sort()).toEqual(["MkdocsError", "NavError"]);
    const etag = (await request(`/api/catalog/entities/by-name/component/default/${name}`)).headers.get("etag");
    await put("alpha", ref, [mkdocs, { name: "NavError", message: "nav entry 'x.md' names a page that is not in docs/" }]);
    expect((await entityInfo(name)).errors.filter((e: { plugin?: string }) => e.plugin)).toEqual(first);
    expect((await request(`/api/catalog/entities/by-name/component/default/${name}`)).headers.get("etag")).toBe(etag);
    await put("alpha", ref, [{ name: "PageTooLargeError", message: "huge.md is 1025 KiB" }]);
    expect(await list("alpha", ref)).toEqual([{ name: "PageTooLargeError", message: "huge.md is 1025 KiB", field: null, line: null, commitSha: null }]);
    // An empty set clears.
    await put("alpha", ref, []);
    expect(await list("alpha", ref)).toEqual([]);
  });

  it("survive the catalog re-reading the entity's file, fixed or not, and go when the entity does", async () => {
    const { root, name, ref } = await entityWithCoreError();
    await put("alpha", ref, [mkdocs]);
    await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(name, { owner: 42 })) });
    expect((await entityInfo(name)).errors.map((e: { name: string }) => e.name).sort()).toEqual(["InputError", "MkdocsError"]);
    await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(name)) });
    expect((await entityInfo(name)).errors.map((e: { name: string }) => e.name)).toEqual(["MkdocsError"]);
    expect((await entity(name)).status.items).toHaveLength(1);

    const other = uniq("other");
    await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(other)) });
    expect((await request(`/api/catalog/entities/by-name/component/default/${name}`)).status).toBe(404);
    expect(await listed(ref)).toEqual([]);
    expect(await list("alpha", ref)).toEqual([]);
  });

  it("need the entity in the catalog; clearing never does", async () => {
    const missing = `component:default/${uniq("missing")}`;
    const res = await put("alpha", missing, [mkdocs]);
    expect(res.status).toBe(404);
    expect((await json(res)).error.name).toBe("NotFoundError");
    expect((await put("alpha", missing, [])).status).toBe(204);
    expect((await clear("alpha", missing)).status).toBe(204);
    expect(await listed(missing)).toEqual([]);
  });
});

describe("plugin problems are isolated", () => {
  it("plugin A cannot clear or replace plugin B's problems, nor the catalog's own errors", async () => {
    const { name, ref } = await entityWithCoreError();
    await put("beta", ref, [{ name: "BetaError", message: "beta's own" }]);
    await put("alpha", ref, [mkdocs]);
    // A's clear and its replacement touch only A's rows.
    await clear("alpha", ref);
    await put("alpha", ref, [{ name: "AlphaError", message: "alpha again" }]);
    await put("alpha", ref, []);
    const errors = (await entityInfo(name)).errors;
    expect(errors.map((e: { name: string; plugin?: string }) => [e.name, e.plugin ?? "catalog"]).sort()).toEqual([["BetaError", "beta"], ["InputError", "catalog"]]);
    // Each plugin lists only its own.
    expect(await list("alpha", ref)).toEqual([]);
    expect((await list("beta", ref)).map((p: PluginProblem) => p.name)).toEqual(["BetaError"]);
  });

  it("a plugin cannot record problems under another plugin's id or a location of its choosing", async () => {
    const { name, ref } = await entityWithCoreError();
    const res = await put("alpha", ref, [{ ...mkdocs, plugin: "beta", location: "file:/etc", pluginId: "beta" }]);
    expect(res.status).toBe(204);
    const mine = (await entityInfo(name)).errors.filter((e: { plugin?: string }) => e.plugin);
    expect(mine).toEqual([expect.objectContaining({ plugin: "alpha", location: "plugin:alpha" })]);
  });
});

describe("plugin problem bounds", () => {
  it("refuses too many problems, oversize messages and malformed ones with a 4xx", async () => {
    const { ref } = await entityWithCoreError();
    const cases: [unknown, number][] = [
      [Array.from({ length: 21 }, (_, i) => ({ name: "E", message: `m${i}` })), 413],
      [[{ name: "E", message: "x".repeat(2001) }], 413],
      [[{ name: "E", message: "ok", field: "f".repeat(501) }], 413],
      [[{ name: "", message: "ok" }], 400],
      [[{ name: "Bad Name!", message: "ok" }], 400],
      [[{ name: "E", message: "" }], 400],
      [[{ name: "E", message: "ok", line: 0 }], 400],
      [[{ name: "E", message: "ok", commitSha: "main" }], 400],
      [[{ name: "E", message: "bad\u0000text" }], 400],
      [{ name: "E", message: "not an array" }, 400],
      [[null], 400],
    ];
    for (const [body, status] of cases) expect((await put("alpha", ref, body)).status, JSON.stringify(body).slice(0, 80)).toBe(status);
    expect((await put("alpha", "not a ref", [])).status).toBe(400);
    // Twenty, of the largest size, fit.
    expect((await put("alpha", ref, Array.from({ length: 20 }, (_, i) => ({ name: "E", message: `${i}`.padEnd(2000, "x") })))).status).toBe(204);
    expect(await list("alpha", ref)).toHaveLength(20);
  });

  it("answers any problem list with 204 or a 4xx, never a 500 (property)", async () => {
    const { ref } = await entityWithCoreError();
    const problem = fc.record(
      { name: fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom("E", "MkdocsError"), fc.anything()), message: fc.oneof(fc.string({ maxLength: 50 }), fc.anything()), field: fc.anything(), line: fc.anything(), commitSha: fc.anything() },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(problem, { maxLength: 3 }), fc.anything()), async (body) => {
        const status = (await put("alpha", ref, body === undefined ? null : body)).status;
        expect(status === 204 || (status >= 400 && status < 500)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
