/**
 * Deletes are one D1 batch: deleting a location (its whole subtree), an entity, or a file either happens
 * completely or not at all. A D1 wrapper counts the round trips each delete makes and can make its Nth
 * statement fail (swapped for one that breaks a NOT NULL constraint, inside the real batch); after a
 * failure the catalog must be exactly as before, and after random loads and deletes the derived rows
 * (stored relations, facet counts, search rows) must equal what the base tables say.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { env } from "cloudflare:test";
import { createApp } from "../../../worker/app";
import { removeFile } from "../../../worker/catalog/store/apply-file";
import { COUNTED_FACET_KEYS } from "../../../worker/catalog/store/facet-keys";
import { ADMIN, BASE, component, ingest, uniq, yamlDocs } from "../helpers";

interface Instrumented {
  db: D1Database;
  /** Round trips: each batch() and each statement run on its own. */
  calls: { batch: number; single: number };
}

/**
 * Wraps a D1 database: counts batch() and single-statement calls, and with `failAt` replaces the Nth
 * statement sent (counting across calls) with one that fails, so the database refuses that call.
 */
function instrument(real: D1Database, failAt?: number): Instrumented {
  const calls = { batch: 0, single: 0 };
  let sent = 0;
  const failing = real.prepare("INSERT INTO locations (id, type, target, key, created_at) VALUES (NULL, NULL, NULL, NULL, NULL)");
  const nextFails = () => ++sent === failAt;
  const realOf = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...values: unknown[]) => wrap(target.bind(...values), sql);
        if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") {
          return (...args: unknown[]) => {
            // The audit trail of an admin write is its own statement by design: it records the attempt, not the change.
            if (!/^\s*INSERT INTO audit_log\b/i.test(sql)) calls.single++;
            const s = nextFails() ? failing : target;
            return (s[prop] as (...a: unknown[]) => unknown).apply(s, args);
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    realOf.set(proxy, stmt);
    return proxy;
  };
  const db = new Proxy(real, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          calls.batch++;
          return target.batch(statements.map((s) => (nextFails() ? failing : (realOf.get(s) ?? s))));
        };
      }
      if (prop === "exec") throw new Error("exec is not instrumented");
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, calls };
}

/** Every table a delete may touch, row for row. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const queries: Record<string, string> = {
    entities: "SELECT * FROM entities ORDER BY id",
    relations: "SELECT * FROM relations ORDER BY source_ref, type, target_ref, origin_ref",
    search: "SELECT * FROM search ORDER BY entity_id, key, value, original_value",
    facet_counts: "SELECT * FROM facet_counts ORDER BY scope, key, value",
    files: "SELECT * FROM files ORDER BY location_key",
    processing_errors: "SELECT * FROM processing_errors ORDER BY id",
    entity_changes: "SELECT * FROM entity_changes ORDER BY id",
    locations: "SELECT * FROM locations ORDER BY id",
    catalog_version: "SELECT * FROM catalog_version",
    fts: "SELECT rowid FROM entities_fts WHERE entities_fts MATCH 'ent' ORDER BY rowid",
  };
  const names = Object.keys(queries);
  const results = await env.DB.batch(names.map((n) => env.DB.prepare(queries[n])));
  return Object.fromEntries(names.map((n, i) => [n, results[i].results]));
}

const COUNTED = [...COUNTED_FACET_KEYS].map((k) => `'${k}'`).join(", ");

/** Derived rows recomputed from the base tables; each list must be empty. */
async function derivedRowDrift(): Promise<Record<string, unknown[]>> {
  const [relationsJson, facets, orphanSearch, orphanRelations, orphanFiles] = await env.DB.batch([
    env.DB.prepare(
      `SELECT ref, relations_json AS stored, (
         SELECT json_group_array(json_object('type', type, 'targetRef', target_ref))
         FROM (SELECT DISTINCT type, target_ref FROM relations WHERE source_ref = e.ref ORDER BY type, target_ref)) AS live
       FROM entities e WHERE relations_json IS NOT live`,
    ),
    env.DB.prepare(
      `WITH rows AS (SELECT s.key, s.original_value AS value, s.value AS folded, lower(e.kind) AS kind FROM search s JOIN entities e ON e.id = s.entity_id
         WHERE s.original_value IS NOT NULL AND s.key IN (${COUNTED})),
       live AS (SELECT scope, key, value, count(*) AS count FROM (
         SELECT '' AS scope, key, value FROM rows UNION ALL SELECT kind, key, value FROM rows) GROUP BY scope, key, value)
       SELECT 'stored' AS side, f.scope, f.key, f.value, f.count FROM facet_counts f
         WHERE f.key IN (${COUNTED})
         AND f.count IS NOT (SELECT l.count FROM live l WHERE l.scope = f.scope AND l.key = f.key AND l.value = f.value)
       UNION ALL
       SELECT 'live', l.scope, l.key, l.value, l.count FROM live l
         WHERE NOT EXISTS (SELECT 1 FROM facet_counts f WHERE f.scope = l.scope AND f.key = l.key AND f.value = l.value)`,
    ),
    env.DB.prepare("SELECT entity_id FROM search WHERE entity_id NOT IN (SELECT id FROM entities) LIMIT 5"),
    env.DB.prepare("SELECT origin_ref FROM relations WHERE origin_ref NOT IN (SELECT ref FROM entities) LIMIT 5"),
    // A file read through a location that no longer exists (the generated Location entity's registry row included).
    env.DB.prepare("SELECT location_key FROM files WHERE origin_key LIKE 'file:%' AND origin_key NOT IN (SELECT key FROM locations) LIMIT 5"),
  ]);
  return {
    relationsJson: relationsJson.results,
    facets: facets.results,
    orphanSearch: orphanSearch.results,
    orphanRelations: orphanRelations.results,
    orphanFiles: orphanFiles.results,
  };
}

// The injected faults are logged as unhandled 500s; keep the report readable.
beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation(() => {});
});

const noDrift = { relationsJson: [], facets: [], orphanSearch: [], orphanRelations: [], orphanFiles: [] };

async function request(db: D1Database, path: string, method = "DELETE"): Promise<Response> {
  return await createApp().request(`${BASE}${path}`, { method, headers: ADMIN }, { ...env, DB: db });
}

/**
 * A location whose files depend on each other and on an entity of another location (so that entity's
 * stored relations change when this one goes), plus a document that fails validation (a processing error).
 */
async function loadTree(files = 3) {
  const root = `/${uniq("tree")}`;
  const other = `/${uniq("other")}`;
  const shared = uniq("shared");
  await ingest(other, { [`${other}/shared.yaml`]: component(shared, { type: "library", owner: "team-z" }, { tags: ["ent"] }) });
  const names = Array.from({ length: files }, () => uniq("ent"));
  const content = Object.fromEntries(
    names.map((n, i) => [
      `${root}/f${i}.yaml`,
      yamlDocs(
        component(n, { dependsOn: [`component:${shared}`, ...(i > 0 ? [`component:${names[i - 1]}`] : [])], system: "sys-a" }, { tags: ["ent", `t${i % 3}`] }),
        ...(i === 0 ? [{ apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: uniq("bad") }, spec: {} }] : []),
      ),
    ]),
  );
  const loaded = await ingest(root, content);
  return { root, names, shared, location: loaded.location };
}

describe("deleting a location", () => {
  it("is one D1 batch, and removes the subtree with its derived rows", async () => {
    const tree = await loadTree();
    const before = await snapshot();
    expect(before.processing_errors.length).toBeGreaterThan(0);
    const { db, calls } = instrument(env.DB);
    const res = await request(db, `/api/catalog/locations/${tree.location.id}`);
    expect(res.status).toBe(204);
    expect(calls).toEqual({ batch: 1, single: 0 });

    const after = await snapshot();
    const origin = `file:${tree.root}`;
    expect(after.locations).not.toContainEqual(expect.objectContaining({ id: tree.location.id }));
    expect(after.entities.filter((e: any) => e.origin_key === origin)).toEqual([]);
    expect(after.files.filter((f: any) => f.origin_key === origin)).toEqual([]);
    expect(after.processing_errors.filter((p: any) => p.origin_key === origin)).toEqual([]);
    // The other location's entity keeps its row; the dependencyOf halves this tree emitted are gone from it.
    const shared = after.entities.find((e: any) => e.name === tree.shared) as { relations_json: string };
    expect(JSON.parse(shared.relations_json)).toEqual([{ type: "ownedBy", targetRef: "group:default/team-z" }]);
    const removed = after.entity_changes.filter((c: any) => c.action === "removed" && (before.entities as any[]).some((e) => e.origin_key === origin && e.ref === c.entity_ref));
    expect(removed).toHaveLength(tree.names.length + 1);
    expect(removed.find((c: any) => c.entity_ref === `component:default/${tree.names[0]}`)).toMatchObject({ owner: "group:default/team-a", kind: "Component" });
    expect(after.catalog_version).not.toEqual(before.catalog_version);
    expect(await derivedRowDrift()).toEqual(noDrift);

    // Gone is gone: a second delete is a 404 and changes nothing.
    const again = await request(env.DB, `/api/catalog/locations/${tree.location.id}`);
    expect(again.status).toBe(404);
  });

  it("leaves the catalog exactly as it was when any statement of the delete fails", async () => {
    const tree = await loadTree();
    const before = await snapshot();
    let failAt = 1;
    for (; ; failAt++) {
      const { db } = instrument(env.DB, failAt);
      const res = await request(db, `/api/catalog/locations/${tree.location.id}`);
      if (res.status === 204) break;
      expect(res.status).toBe(500);
      expect(await snapshot()).toEqual(before);
    }
    expect(failAt).toBeGreaterThan(5);
    expect(await derivedRowDrift()).toEqual(noDrift);
  });

  it("is still one batch for a location of 1,200 files", async () => {
    const tree = await loadTree(1200);
    const { db, calls } = instrument(env.DB);
    expect((await request(db, `/api/catalog/locations/${tree.location.id}`)).status).toBe(204);
    expect(calls).toEqual({ batch: 1, single: 0 });
    const { results } = await env.DB.prepare("SELECT count(*) AS n FROM entities WHERE origin_key = ?").bind(`file:${tree.root}`).all<{ n: number }>();
    expect(results[0].n).toBe(0);
    expect(await derivedRowDrift()).toEqual(noDrift);
  }, 120_000);
});

describe("deleting an entity", () => {
  it("is one D1 batch that any failing statement undoes completely", async () => {
    const tree = await loadTree();
    const { results } = await env.DB.prepare("SELECT uid FROM entities WHERE name = ?").bind(tree.names[1]).all<{ uid: string }>();
    const uid = results[0].uid;
    const before = await snapshot();
    let failAt = 1;
    for (; ; failAt++) {
      const { db, calls } = instrument(env.DB, failAt);
      const res = await request(db, `/api/catalog/entities/by-uid/${uid}`);
      if (res.status === 204) {
        expect(calls).toEqual({ batch: 1, single: 0 });
        break;
      }
      expect(res.status).toBe(500);
      expect(await snapshot()).toEqual(before);
    }
    const after = await snapshot();
    expect(after.entities).not.toContainEqual(expect.objectContaining({ uid }));
    expect(after.files.find((f: any) => f.location_key === `file:${tree.root}/f1.yaml`)).toMatchObject({ content_hash: null });
    expect(after.entity_changes.at(-1)).toMatchObject({ entity_ref: `component:default/${tree.names[1]}`, action: "removed", actor: "api", owner: "group:default/team-a" });
    expect(await derivedRowDrift()).toEqual(noDrift);
  });
});

describe("removing a file", () => {
  it("is one D1 batch that any failing statement undoes completely", async () => {
    const tree = await loadTree();
    const key = `file:${tree.root}/f0.yaml`;
    const before = await snapshot();
    let failAt = 1;
    let report;
    for (; ; failAt++) {
      const { db, calls } = instrument(env.DB, failAt);
      try {
        report = await removeFile(db, key, `file:${tree.root}`, { sha: "abc1234", actor: "octocat" });
        expect(calls).toEqual({ batch: 1, single: 0 });
        break;
      } catch {
        expect(await snapshot()).toEqual(before);
      }
    }
    expect(report).toEqual({ location: key, added: [], updated: [], removed: [`component:default/${tree.names[0]}`], unchanged: [], rejected: [], conflicts: [] });
    const after = await snapshot();
    expect(after.files.map((f: any) => f.location_key)).not.toContain(key);
    expect(after.processing_errors.filter((p: any) => p.location_key === key)).toEqual([]);
    expect(after.entity_changes.at(-1)).toMatchObject({ action: "removed", location_key: key, commit_sha: "abc1234", actor: "octocat" });
    expect(await derivedRowDrift()).toEqual(noDrift);
  });
});

describe("random loads and deletes", () => {
  const NAMES = ["a", "b", "c", "d"];
  const doc = fc.record({
    name: fc.constantFrom(...NAMES),
    owner: fc.constantFrom("team-a", "team-b"),
    dependsOn: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 2 }),
    tags: fc.uniqueArray(fc.constantFrom("x", "y"), { maxLength: 2 }),
  });
  type Doc = typeof doc extends fc.Arbitrary<infer T> ? T : never;
  type Step =
    | { op: "load"; loc: number; files: { file: number; docs: Doc[] }[] }
    | { op: "deleteLocation"; loc: number }
    | { op: "deleteEntity"; pick: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("load" as const),
        loc: fc.nat(2),
        files: fc.uniqueArray(fc.record({ file: fc.nat(2), docs: fc.array(doc, { maxLength: 3 }) }), { selector: (f) => f.file, maxLength: 3 }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("deleteLocation" as const), loc: fc.nat(2) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteEntity" as const), pick: fc.nat() }) },
  );

  it("keep the derived rows equal to the base tables, each delete in one batch", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const run = uniq("run");
        const roots = [0, 1, 2].map((i) => `/${run}/loc${i}`);
        // Names are unique per run, so refs from earlier runs never collide with this one's.
        const ref = (n: string) => `${run}-${n}`;
        for (const s of steps) {
          if (s.op === "load") {
            const root = roots[s.loc];
            const files = s.files.map((f) => ({
              target: `${root}/f${f.file}.yaml`,
              content: yamlDocs(...f.docs.map((d) => component(ref(d.name), { owner: d.owner, dependsOn: d.dependsOn.map((x) => `component:${ref(x)}`) }, { tags: d.tags }))),
            }));
            await ingest(root, files);
          } else if (s.op === "deleteLocation") {
            const row = await env.DB.prepare("SELECT id FROM locations WHERE key = ?").bind(`file:${roots[s.loc]}`).first<{ id: string }>();
            if (!row) continue;
            const { db, calls } = instrument(env.DB);
            expect((await request(db, `/api/catalog/locations/${row.id}`)).status).toBe(204);
            expect(calls).toEqual({ batch: 1, single: 0 });
          } else {
            const { results } = await env.DB.prepare("SELECT uid FROM entities WHERE name LIKE ? ORDER BY id").bind(`${run}-%`).all<{ uid: string }>();
            if (!results.length) continue;
            const { db, calls } = instrument(env.DB);
            expect((await request(db, `/api/catalog/entities/by-uid/${results[s.pick % results.length].uid}`)).status).toBe(204);
            expect(calls).toEqual({ batch: 1, single: 0 });
          }
          expect(await derivedRowDrift()).toEqual(noDrift);
        }
      }),
      { numRuns: 20, interruptAfterTimeLimit: 60_000 },
    );
  }, 120_000);
});
