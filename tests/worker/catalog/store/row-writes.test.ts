/**
 * How often a write rewrites each entity row (migration 0021): a row is written once per change, with its rev
 * moved in that same write, and a row whose rendering does not change is not written at all. The other ends of
 * the pairs a batch deletes are noted inside the batch (migration 0024) and re-rendered once, at its end. Loading used to
 * write every new entity twice more (its relation list, then its rev) and every hub a batch named once more,
 * whether its list changed or not; at 100,000 entities those rewrites of long hub rows were a sixth of the load.
 *
 * A trigger made for this file records every UPDATE of an entities row, nested trigger updates included.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import fc from "fast-check";
import { getJson, ingest, uniq, yamlDocs } from "../../helpers";

beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare("CREATE TABLE test_row_writes (seq integer PRIMARY KEY, ref text NOT NULL, rev integer NOT NULL)"),
    env.DB.prepare("CREATE TRIGGER test_row_writes_au AFTER UPDATE ON entities BEGIN INSERT INTO test_row_writes (ref, rev) VALUES (new.ref, new.rev); END"),
  ]);
});

afterAll(async () => {
  await env.DB.batch([env.DB.prepare("DROP TRIGGER test_row_writes_au"), env.DB.prepare("DROP TABLE test_row_writes")]);
});

interface Row {
  ref: string;
  rev: number;
  relations_json: string;
}

async function rows(refs: string[]): Promise<Map<string, Row>> {
  const { results } = await env.DB.prepare("SELECT ref, rev, relations_json FROM entities WHERE ref IN (SELECT value FROM json_each(?))").bind(JSON.stringify(refs)).all<Row>();
  return new Map(results.map((r) => [r.ref, r]));
}

/** The UPDATEs of each entity row that `write` caused. */
async function writesDuring(write: () => Promise<unknown>): Promise<Map<string, number>> {
  const { mark } = (await env.DB.prepare("SELECT coalesce(max(seq), 0) AS mark FROM test_row_writes").first<{ mark: number }>())!;
  await write();
  const { results } = await env.DB.prepare("SELECT ref, count(*) AS n FROM test_row_writes WHERE seq > ? GROUP BY ref").bind(mark).all<{ ref: string; n: number }>();
  return new Map(results.map((r) => [r.ref, r.n]));
}

function catalog(p: string, owners: Record<string, string>, description = "first") {
  return yamlDocs(
    { apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: `${p}-a` }, spec: { type: "team", children: [] } },
    { apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: `${p}-b` }, spec: { type: "team", children: [] } },
    ...Object.entries(owners).map(([name, owner]) => ({
      apiVersion: "backstage.io/v1alpha1",
      kind: "Component",
      metadata: { name: `${p}-${name}`, description },
      spec: { type: "service", lifecycle: "production", owner: `${p}-${owner}` },
    })),
  );
}

describe("entity row writes", () => {
  it("inserts new entities with their final relation lists and writes no row twice", async () => {
    const p = uniq("rw-new");
    // The groups come after their members in the file, so their lists hold pairs the members emitted.
    const writes = await writesDuring(() => ingest(`/${p}`, { [`/${p}/c.yaml`]: catalog(p, { x: "a", y: "a", z: "b" }) }));
    const got = await rows([`group:default/${p}-a`, `component:default/${p}-x`]);
    expect([...writes.keys()].filter((ref) => ref.includes(p))).toEqual([]);
    expect(JSON.parse(got.get(`group:default/${p}-a`)!.relations_json)).toEqual([
      { type: "ownerOf", targetRef: `component:default/${p}-x` },
      { type: "ownerOf", targetRef: `component:default/${p}-y` },
    ]);
    expect(JSON.parse(got.get(`component:default/${p}-x`)!.relations_json)).toEqual([{ type: "ownedBy", targetRef: `group:default/${p}-a` }]);
  });

  it("rewrites only the rows whose rendering changes, each once, moving its rev by one", async () => {
    const p = uniq("rw-edit");
    const file = `/${p}/c.yaml`;
    const refs = [`group:default/${p}-a`, `group:default/${p}-b`, `component:default/${p}-x`, `component:default/${p}-y`, `component:default/${p}-z`];
    await ingest(`/${p}`, { [file]: catalog(p, { x: "a", y: "a", z: "b" }) });

    // A description: the component alone; its owner's list is the same and its row is left alone.
    let before = await rows(refs);
    let writes = await writesDuring(() => ingest(`/${p}`, { [file]: catalog(p, { x: "a", y: "a", z: "b" }, "second") }));
    let after = await rows(refs);
    expect(Object.fromEntries(writes)).toEqual({ [`component:default/${p}-x`]: 1, [`component:default/${p}-y`]: 1, [`component:default/${p}-z`]: 1 });
    for (const ref of refs) expect(after.get(ref)!.rev - before.get(ref)!.rev).toBe(writes.get(ref) ?? 0);

    // An owner moves from a to b: the component and both groups, once each.
    before = after;
    writes = await writesDuring(() => ingest(`/${p}`, { [file]: catalog(p, { x: "b", y: "a", z: "b" }, "second") }));
    after = await rows(refs);
    expect(Object.fromEntries(writes)).toEqual({ [`component:default/${p}-x`]: 1, [`group:default/${p}-a`]: 1, [`group:default/${p}-b`]: 1 });
    for (const ref of refs) expect(after.get(ref)!.rev - before.get(ref)!.rev).toBe(writes.get(ref) ?? 0);
    expect(JSON.parse(after.get(`group:default/${p}-b`)!.relations_json).map((r: { targetRef: string }) => r.targetRef)).toEqual([`component:default/${p}-x`, `component:default/${p}-z`]);

    // A component leaves the file: its owner's list loses it, in one write.
    before = after;
    writes = await writesDuring(() => ingest(`/${p}`, { [file]: catalog(p, { x: "b", y: "a" }, "second") }));
    after = await rows(refs);
    expect(Object.fromEntries(writes)).toEqual({ [`group:default/${p}-b`]: 1 });
    expect(after.has(`component:default/${p}-z`)).toBe(false);
    expect(after.get(`group:default/${p}-b`)!.rev).toBe(before.get(`group:default/${p}-b`)!.rev + 1);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM relation_refresh").first()).toEqual({ n: 0 });
  });

  it("moves a row's rev exactly when its answer changes and writes it at most once, over random edits (fast-check)", async () => {
    const p = uniq("rw-prop");
    const file = `/${p}/c.yaml`;
    const names = ["x", "y", "z"];
    const refs = [`group:default/${p}-a`, `group:default/${p}-b`, ...names.map((n) => `component:default/${p}-${n}`)];
    const answers = async () => {
      const out = new Map<string, string>();
      for (const ref of refs) {
        const [kind, rest] = ref.split(":");
        const res = await getJson(`/api/catalog/entities/by-name/${kind}/${rest}`);
        out.set(ref, res.status === 200 ? JSON.stringify({ ...res.body, metadata: { ...res.body.metadata, etag: undefined } }) : "absent");
      }
      return out;
    };
    const edit = fc.record({
      owners: fc.dictionary(fc.constantFrom(...names), fc.constantFrom("a", "b"), { minKeys: 1 }),
      description: fc.constantFrom("one", "two"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 5 }), async (edits) => {
        for (const e of edits) {
          const [beforeRows, beforeAnswers] = [await rows(refs), await answers()];
          const writes = await writesDuring(() => ingest(`/${p}`, { [file]: catalog(p, e.owners, e.description) }));
          const [afterRows, afterAnswers] = [await rows(refs), await answers()];
          for (const ref of refs) {
            const [b, a] = [beforeRows.get(ref), afterRows.get(ref)];
            if (!b || !a) continue;
            const changed = beforeAnswers.get(ref) !== afterAnswers.get(ref);
            expect(writes.get(ref) ?? 0).toBeLessThanOrEqual(1);
            expect(a.rev > b.rev).toBe(changed);
          }
        }
      }),
      { numRuns: 15 },
    );
  });
});
