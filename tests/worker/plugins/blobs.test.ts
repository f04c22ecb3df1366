/**
 * Plugin blobs on the real R2 binding: objects under `plugins/<id>/` only, put/get/list/delete, content
 * types and the size cap, bad keys refused with a 4xx ApiError, and (fast-check) that no key or prefix one
 * plugin can pass reaches another plugin's objects.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import fc from "fast-check";
import { ApiError } from "../../../worker/errors";
import { createPluginBlobs, DEFAULT_BLOB_LIMITS } from "../../../worker/plugins/context/blobs";
import { createApp } from "../../../worker/app";
import { definePluginWorker, pluginRouter } from "../../../worker/plugins/api";
import { uniq } from "../helpers";
import { json, requester } from "./helpers";

const blobs = (id: string, limits = DEFAULT_BLOB_LIMITS) => createPluginBlobs(env.BLOBS, id, limits);

async function rejects(p: Promise<unknown>, name: string, message?: RegExp) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).name).toBe(name);
  expect((err as ApiError).status).toBeLessThan(500);
  if (message) expect((err as ApiError).message).toMatch(message);
}

describe("plugin blobs", () => {
  it("puts, gets, lists and deletes objects under the plugin's own prefix", async () => {
    const id = uniq("b");
    const b = blobs(id);
    await b.put("docs/index.html", "<h1>hi</h1>");
    await b.put("docs/img/logo.png", new Uint8Array([137, 80, 78, 71]), { contentType: "image/png" });
    await b.put("other.bin", new Uint8Array([1, 2, 3]).buffer);
    const got = await b.get("docs/index.html");
    expect(got).toMatchObject({ contentType: "text/html; charset=utf-8", size: 11 });
    expect(await new Response(got!.body).text()).toBe("<h1>hi</h1>");
    expect((await b.get("docs/img/logo.png"))!.contentType).toBe("image/png");
    expect((await b.get("other.bin"))!.contentType).toBe("application/octet-stream");
    expect(await b.get("missing")).toBeNull();
    // Stored where the bucket says, under plugins/<id>/.
    expect(await env.BLOBS.head(`plugins/${id}/docs/index.html`)).not.toBeNull();

    expect((await b.list("docs/")).map((o) => o.key).sort()).toEqual(["docs/img/logo.png", "docs/index.html"]);
    expect((await b.list()).map((o) => o.key).sort()).toEqual(["docs/img/logo.png", "docs/index.html", "other.bin"]);
    expect((await b.list("docs/img/"))[0]).toMatchObject({ key: "docs/img/logo.png", size: 4, etag: expect.any(String) });

    await b.delete(["docs/index.html", "docs/img/logo.png"]);
    await b.delete("other.bin");
    await b.delete("never-existed");
    expect(await b.list()).toEqual([]);
  });

  it("lists past R2's 1000-key pages, and refuses a listing over the bound", async () => {
    const id = uniq("b");
    const b = blobs(id, { ...DEFAULT_BLOB_LIMITS, maxListKeys: 1005 });
    await Promise.all(Array.from({ length: 1003 }, (_, i) => b.put(`k/${String(i).padStart(4, "0")}`, "x")));
    expect((await b.list("k/")).length).toBe(1003);
    const small = blobs(id, { ...DEFAULT_BLOB_LIMITS, maxListKeys: 10 });
    await rejects(small.list("k/"), "InputError", /More than 10 objects/);
  });

  it("keeps plugin a's objects away from a-b, ab and every other plugin", async () => {
    const a = blobs("a");
    const ab = blobs("a-b");
    await a.put("shared-name", "from a");
    await ab.put("shared-name", "from a-b");
    expect(await new Response((await a.get("shared-name"))!.body).text()).toBe("from a");
    expect(await new Response((await ab.get("shared-name"))!.body).text()).toBe("from a-b");
    expect((await a.list()).every((o) => !o.key.includes("a-b"))).toBe(true);
    await a.delete("shared-name");
    expect(await ab.get("shared-name")).not.toBeNull();
  });

  it("refuses bad keys and prefixes with a 4xx ApiError", async () => {
    const b = blobs(uniq("b"));
    for (const key of ["", "/abs", "../a-b/x", "a/../../x", "a/./b", "a//b", "..", "trailing/", "back\\slash", "nul\u0000", "ctl\u0007", "\uD800lone", "x".repeat(901)]) {
      await rejects(b.put(key, "x"), "InputError");
      await rejects(b.get(key), "InputError");
      await rejects(b.delete([key]), "InputError");
    }
    for (const prefix of ["/", "../", "a/../", "a//"]) await rejects(b.list(prefix), "InputError");
    await rejects(b.put(42 as unknown as string, "x"), "InputError");
    await rejects(b.put("k", { not: "bytes" } as unknown as string), "InputError");
    await rejects(b.put("k", "x", { contentType: "text/html\r\nx-evil: 1" }), "InputError");
    await rejects(b.delete(7 as unknown as string), "InputError");
  });

  it("caps the size of one object", async () => {
    const b = blobs(uniq("b"), { ...DEFAULT_BLOB_LIMITS, maxObjectBytes: 1024 });
    await b.put("ok", new Uint8Array(1024));
    await rejects(b.put("big", new Uint8Array(1025)), "PayloadTooLargeError", /limited to 1024 bytes; this one is 1025/);
    await rejects(b.put("big-text", "é".repeat(513)), "PayloadTooLargeError");
    expect(await b.get("big")).toBeNull();
  });

  it("never lets a key or prefix of one plugin name another's objects (property)", async () => {
    const victim = uniq("victim");
    await blobs(victim).put("secret", "VICTIM");
    const attacker = blobs(uniq("attacker"));
    const segment = fc.oneof(fc.constantFrom("..", ".", "", victim, "plugins", "secret", "%2e%2e", "%2F"), fc.string({ maxLength: 8 }));
    const key = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join("/"));
    await fc.assert(
      fc.asyncProperty(fc.oneof(key, fc.string({ maxLength: 40 })), async (k) => {
        const got = await attacker.get(k).catch((e: unknown) => (e instanceof ApiError && e.status < 500 ? null : Promise.reject(e)));
        if (got) expect(await new Response(got.body).text()).not.toBe("VICTIM");
        const listed = await attacker.list(k).catch((e: unknown) => (e instanceof ApiError && e.status < 500 ? [] : Promise.reject(e)));
        expect(listed).toEqual([]);
        await attacker.delete(k).catch((e: unknown) => (e instanceof ApiError && e.status < 500 ? null : Promise.reject(e)));
      }),
      { numRuns: 150 },
    );
    expect(await blobs(victim).get("secret")).not.toBeNull();
  });
});

describe("plugin blobs through a plugin's routes", () => {
  const store = definePluginWorker(
    { id: "blob-store", title: "Blob store", version: "1.0.0", permissions: [{ name: "plugin.blob-store.write", description: "write" }] },
    {
      app: pluginRouter()
        .put("/object", { permission: "plugin.blob-store.write" }, async (c) => {
          await c.env.plugin.blobs.put(c.req.query("key") ?? "", await c.req.arrayBuffer(), { contentType: c.req.header("content-type") ?? undefined });
          return c.body(null, 204);
        })
        .get("/object", { permission: "catalog.entity.read" }, async (c) => {
          const object = await c.env.plugin.blobs.get(c.req.query("key") ?? "");
          return object ? new Response(object.body, { headers: { "content-type": object.contentType, etag: object.etag } }) : c.json({ missing: true }, 404);
        }),
    },
  );
  const request = requester(createApp([store]));

  it("stores and serves an object, and answers a bad key with a 400 in the error shape", async () => {
    expect((await request("/api/plugins/blob-store/object?key=page/a.html", { method: "PUT", body: "<p>x</p>", headers: { "content-type": "text/html" } })).status).toBe(204);
    const res = await request("/api/plugins/blob-store/object?key=page/a.html");
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(await res.text()).toBe("<p>x</p>");
    const bad = await request("/api/plugins/blob-store/object?key=a/../../x", { method: "PUT", body: "x" });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.name).toBe("InputError");
  });
});
