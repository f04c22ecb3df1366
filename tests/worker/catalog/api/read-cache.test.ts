/**
 * Cached catalog reads are served only while the catalog version has not moved: every write path (ingestion,
 * removal, deletion by uid, a new processing error) must make the next read fresh. A failed shared tag read
 * falls back to the request's own read, not to an uncached answer.
 */
import { describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:test";
import { cacheStats, loggedFailure } from "../../../../worker/catalog/read-cache";
import { fetchWith } from "../../db/catalog-copy";
import { ADMIN, api, component, ingest, uniq, yamlDocs } from "../../helpers";

async function read(path: string, init?: RequestInit) {
  const res = await api(path, init);
  return { cache: res.headers.get("x-catalog-cache"), status: res.status, body: await res.json<any>() };
}

const byRefs = (refs: string[]) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ entityRefs: refs }) });

describe("the catalog read cache", () => {
  it("answers a repeated read from the cache and a read after any write from D1", async () => {
    const root = `/${uniq("c")}`;
    const [a, b] = [uniq("a"), uniq("b")];
    await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(a, { type: "service" }), component(b, { type: "website" })) });
    const query = `/api/catalog/entities/by-query?filter=${encodeURIComponent(`metadata.name=${a},metadata.name=${b}`)}&limit=10`;

    const first = await read(query);
    expect(first.cache).toBe("miss");
    const second = await read(query);
    expect(second).toEqual({ ...first, cache: "hit" });

    // Through the API: the changed entity shows at once.
    await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(a, { type: "library" }), component(b, { type: "website" })) });
    const afterIngest = await read(query);
    expect(afterIngest.cache).toBe("miss");
    expect(afterIngest.body.items.find((e: any) => e.metadata.name === a).spec.type).toBe("library");

    // Ingestion that removes an entity from its file.
    await read(query);
    await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(a, { type: "library" }), component(b, { type: "website", lifecycle: "retired" })) });
    const afterUpdate = await read(query);
    expect(afterUpdate.cache).toBe("miss");
    expect(afterUpdate.body.items.find((e: any) => e.metadata.name === b).spec.lifecycle).toBe("retired");

    // Deleting by uid.
    await read(query);
    const uid = afterUpdate.body.items.find((e: any) => e.metadata.name === b).metadata.uid;
    expect((await api(`/api/catalog/entities/by-uid/${uid}`, { method: "DELETE", headers: ADMIN })).status).toBe(204);
    const afterDelete = await read(query);
    expect(afterDelete.body.items.map((e: any) => e.metadata.name)).toEqual([a]);
  });

  it("keys POST bodies, and a new processing error reaches a cached by-refs answer", async () => {
    const root = `/${uniq("c")}`;
    const a = uniq("a");
    const file = `${root}/c.yaml`;
    await ingest(root, { [file]: component(a) });
    const ref = `component:default/${a}`;
    const hit1 = await read("/api/catalog/entities/by-refs", byRefs([ref]));
    expect((await read("/api/catalog/entities/by-refs", byRefs([ref]))).cache).toBe("hit");
    expect((await read("/api/catalog/entities/by-refs", byRefs([ref, "component:default/missing"]))).body.items).toEqual([hit1.body.items[0], null]);
    expect(hit1.body.items[0].status).toBeUndefined();

    // The file breaks: the entity keeps its last good version and shows the error in its status.
    await ingest(root, { [file]: component(a, { owner: 42 }) });
    const withError = await read("/api/catalog/entities/by-refs", byRefs([ref]));
    expect(withError.cache).toBe("miss");
    expect(withError.body.items[0].spec.owner).toBe("team-a");
    expect(withError.body.items[0].status.items[0].error.name).toBe("InputError");
  });

  it("sees every write that finished before a read arrived, while other reads keep version reads in flight", async () => {
    const root = `/${uniq("c")}`;
    const a = uniq("a");
    const file = `${root}/c.yaml`;
    const query = `/api/catalog/entities/by-query?filter=${encodeURIComponent(`metadata.name=${a}`)}`;
    const background: Promise<unknown>[] = [];
    for (let round = 0; round < 12; round++) {
      // Reads that overlap the write: their version reads are in flight when it commits.
      for (let i = 0; i < 6; i++) background.push(read(query));
      await ingest(root, { [file]: component(a, { lifecycle: `round-${round}` }) });
      const after = await read(query);
      expect(after.body.items.map((e: any) => e.spec.lifecycle)).toEqual([`round-${round}`]);
    }
    const settled = await Promise.all(background);
    expect(settled.every((r: any) => r.status === 200)).toBe(true);
  });

  it("caches facets and search answers too, and answers a hit exactly like the miss", async () => {
    const root = `/${uniq("c")}`;
    await ingest(root, { [`${root}/c.yaml`]: component(uniq("cache-probe"), { type: "website" }) });
    for (const path of ["/api/catalog/entity-facets?facet=spec.type", "/api/search?q=cache-probe"]) {
      const miss = await api(path);
      const hit = await api(path);
      expect([miss.headers.get("x-catalog-cache"), hit.headers.get("x-catalog-cache")]).toEqual(["miss", "hit"]);
      expect(hit.headers.get("content-type")).toBe(miss.headers.get("content-type"));
      expect(await hit.text()).toBe(await miss.text());
    }
  });

  it("serves a repeated answer gzipped to clients that accept it, the same JSON under a weak ETag", async () => {
    const root = `/${uniq("c")}`;
    const names = Array.from({ length: 12 }, (_, i) => uniq(`gz${i}`));
    await ingest(root, { [`${root}/c.yaml`]: yamlDocs(...names.map((n) => component(n, { type: "service" }))) });
    const query = `/api/catalog/entities/by-query?filter=${encodeURIComponent(names.map((n) => `metadata.name=${n}`).join(","))}&limit=20`;
    const gzip = { headers: { "accept-encoding": "gzip, br" } };
    const miss = await api(query, gzip);
    const plain = await miss.text();
    expect(plain.length).toBeGreaterThan(1024);
    expect(miss.headers.get("content-encoding")).toBeNull();
    // The first hit is served as stored and compresses the body for the hits after it.
    const first = await api(query, gzip);
    expect([first.headers.get("x-catalog-cache"), first.headers.get("content-encoding")]).toEqual(["hit", null]);
    expect(await first.text()).toBe(plain);
    let zipped: Response | undefined;
    for (let i = 0; i < 20 && !zipped; i++) {
      const res = await api(query, { headers: { "accept-encoding": "gzip", "if-none-match": '"other"' } });
      if (res.headers.get("content-encoding") === "gzip") zipped = res;
      else await res.arrayBuffer();
    }
    expect(zipped, "a later hit is gzipped").toBeDefined();
    expect(zipped!.headers.get("vary")).toBe("accept-encoding");
    const etag = zipped!.headers.get("etag")!;
    expect(etag).toBe(`W/${first.headers.get("etag")}`);
    const bytes = new Uint8Array(await zipped!.arrayBuffer());
    // workerd's fetch may hand the body over decoded or as sent: either way it is the same JSON.
    const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text() : new TextDecoder().decode(bytes);
    expect(text).toBe(plain);
    // A client without gzip, or refusing it, still gets the plain body; the weak ETag revalidates.
    for (const ae of [undefined, "identity", "gzip;q=0"]) {
      const res = await api(query, ae ? { headers: { "accept-encoding": ae } } : {});
      expect(res.headers.get("content-encoding")).toBeNull();
      expect(await res.text()).toBe(plain);
    }
    expect((await api(query, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("does not cache errors", async () => {
    const bad = "/api/catalog/entities/by-query?limit=0";
    expect((await read(bad)).status).toBe(400);
    const again = await read(bad);
    expect(again.status).toBe(400);
    expect(again.cache).toBeNull();
  });
});

/** `db`, but the first batch of each of its sessions (a cached read's shared tag read) fails, as under load in workerd. */
function sessionBatchesFail(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "withSession") {
        return (constraint?: string) => {
          const session = target.withSession(constraint);
          let batches = 0;
          return new Proxy(session, {
            get(s, p) {
              if (p === "batch" && batches++ === 0) return async () => Promise.reject(new Error("Cannot perform I/O on behalf of a different request. (I/O type: SpanParent)"));
              const value = Reflect.get(s, p);
              return typeof value === "function" ? value.bind(s) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("when the shared tag read fails", () => {
  it("a cached answer is still served from the cache, checked by the request's own tag read", async () => {
    const name = uniq("shared");
    await ingest(`/${name}`, { [`/${name}/c.yaml`]: yamlDocs(component(name, { type: "service" })) });
    const query = `/api/catalog/entities/by-query?filter=${encodeURIComponent(`metadata.name=${name}`)}&limit=10`;
    const primed = await fetchWith({}, query);
    expect(primed.headers.get("x-catalog-cache")).toBe("miss");
    const want = await primed.text();

    const failures = cacheStats.sharedReadFailures;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const res = await fetchWith({ DB: sessionBatchesFail(env.DB) }, query);
      expect({ status: res.status, cache: res.headers.get("x-catalog-cache"), text: await res.text() }).toEqual({ status: 200, cache: "hit", text: want });
      // Counted, and logged at the 1st, 2nd, 4th, 8th... failure of the isolate (not once per waiter).
      expect(cacheStats.sharedReadFailures).toBe(failures + 1);
      for (let i = 0; i < 3; i++) await fetchWith({ DB: sessionBatchesFail(env.DB) }, query);
      expect(cacheStats.sharedReadFailures).toBe(failures + 4);
      const logged = [1, 2, 3, 4].filter((k) => loggedFailure(failures + k)).length;
      expect(warn.mock.calls.filter(([m]) => String(m).startsWith("read cache: the shared tag read failed"))).toHaveLength(logged);
    } finally {
      warn.mockRestore();
    }

    // A write is still seen: the request's own read has the new tags, so the answer is read again.
    await ingest(`/${name}`, { [`/${name}/c.yaml`]: yamlDocs(component(name, { type: "library" })) });
    const after = await fetchWith({ DB: sessionBatchesFail(env.DB) }, query);
    expect({ status: after.status, cache: after.headers.get("x-catalog-cache") }).toEqual({ status: 200, cache: "miss" });
    expect((await after.json<any>()).items[0].spec.type).toBe("library");
  });
});
