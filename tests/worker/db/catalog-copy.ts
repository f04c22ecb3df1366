/**
 * Test plumbing for the storage tests: a fixture catalog spread over three namespaces with relations across
 * them, and copies of a loaded catalog's rows into another D1 database, either in the schema before
 * migration 0015, 0018 or 0019 (to test those migrations on a populated database) or split by namespace into shards
 * (docs/scaling.md: a shard holds its namespaces' entities, their search rows and every relation pair that
 * names one of its entities).
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import worker from "../../../worker/index";
import { api, BASE, postJson, withDefaultCredential } from "../helpers";

const NAMESPACES = ["default", "payments", "platform"];
const WORDS = ["Portal", "ledger", "Checkout", "stream", "Äther", "edge", "billing", "zeta"];

/** Entities as YAML documents (JSON is YAML): groups, users, systems, APIs and components, owners and APIs across namespaces. */
export function fixtureDocs(): string[] {
  const docs: object[] = [];
  const pick = <T>(list: T[], i: number) => list[i % list.length];
  for (const [n, ns] of NAMESPACES.entries()) {
    docs.push({ apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: "team", namespace: ns, title: `Team ${ns}` }, spec: { type: "team", children: [], ...(n ? { parent: "group:default/team" } : {}) } });
    docs.push({ apiVersion: "backstage.io/v1alpha1", kind: "System", metadata: { name: "core", namespace: ns }, spec: { owner: "group:default/team" } });
  }
  for (let i = 0; i < 24; i++) {
    const ns = pick(NAMESPACES, i);
    const other = pick(NAMESPACES, i + 1);
    docs.push({
      apiVersion: "backstage.io/v1alpha1",
      kind: "User",
      metadata: { name: `user-${i}`, namespace: ns },
      spec: { profile: { displayName: `User ${pick(WORDS, i)}`, email: `u${i}@example.test` }, memberOf: [`group:${other}/team`] },
    });
    docs.push({
      apiVersion: "backstage.io/v1alpha1",
      kind: "API",
      metadata: { name: `api-${i}`, namespace: ns, tags: [pick(["rest", "grpc"], i)] },
      spec: { type: pick(["openapi", "grpc"], i), lifecycle: "production", owner: `group:${other}/team`, definition: `openapi: 3.0.0 # ${i}` },
    });
    docs.push({
      apiVersion: "backstage.io/v1alpha1",
      kind: "Component",
      metadata: {
        name: `svc-${pick(WORDS, i * 3).toLowerCase()}-${i}`,
        namespace: ns,
        title: `${pick(WORDS, i)} ${pick(WORDS, i + 3)} service`,
        description: `The ${pick(WORDS, i + 1)} component number ${i} handles ${pick(WORDS, i + 5)} events.`,
        tags: [pick(["java", "go", "python"], i), pick(["kafka", "postgres"], i * 7)],
        annotations: { "example.test/Mixed-Case": `Value-${i % 5}` },
      },
      spec: {
        type: pick(["service", "website", "library"], i),
        lifecycle: pick(["production", "experimental"], i),
        owner: `group:${other}/team`,
        system: `system:${pick(NAMESPACES, i + 2)}/core`,
        providesApis: [`api:${ns}/api-${i}`],
        consumesApis: [`api:${other}/api-${(i + 5) % 24}`, "api:default/missing-api"],
        ...(i % 4 === 0 ? { dependsOn: [`component:${other}/svc-${pick(WORDS, (i + 1) * 3).toLowerCase()}-${(i + 1) % 24}`] } : {}),
      },
    });
  }
  return docs.map((d) => JSON.stringify(d));
}

type Row = Record<string, unknown>;

async function rows(db: D1Database, sql: string): Promise<Row[]> {
  return (await db.prepare(sql).all<Row>()).results;
}

/** Inserts rows into `table` (columns as listed), a chunk of rows per statement. */
async function insertRows(db: D1Database, table: string, columns: string[], list: Row[]): Promise<void> {
  const sql = `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${columns.map((c) => `j.value->>'${c}'`).join(", ")} FROM json_each(?) j`;
  for (let i = 0; i < list.length; i += 500) await db.prepare(sql).bind(JSON.stringify(list.slice(i, i + 500))).run();
}

const BASE_COLUMNS = ["id", "uid", "etag", "ref", "kind", "namespace", "name", "tags", "body", "rev", "location_key", "origin_key", "parent_ref", "provenance", "created_at", "updated_at"];
/** Entity columns as stored before migration 0018 (relations as a JSON array) and since (relation_list; relations_json is generated). */
const ENTITY_COLUMNS_PRE_0018 = [...BASE_COLUMNS, "relations_json"];
const ENTITY_COLUMNS = [...BASE_COLUMNS, "relation_list"];
const ERROR_COLUMNS = ["id", "location_key", "origin_key", "entity_ref", "doc_index", "field", "name", "message", "line", "commit_sha", "created_at"];
const nsOf = (ref: unknown) => /^[^:]*:([^/]*)\//.exec(String(ref))?.[1] ?? "default";

/**
 * Copies `from`'s catalog into `to`, whose schema is the one before migration 0015: entities with title,
 * description and hash columns, both relation halves as rows, search rows with keys spelled out.
 */
export async function copyAsPre0015(from: D1Database, to: D1Database): Promise<void> {
  await insertRows(to, "entities", [...ENTITY_COLUMNS_PRE_0018, "title", "description", "hash"], await rows(from, `SELECT ${ENTITY_COLUMNS_PRE_0018.join(", ")}, title, description, etag AS hash FROM entities`));
  await insertRows(to, "search", ["entity_id", "key", "value", "original_value"], await rows(from, "SELECT entity_id, key, value, original_value FROM search"));
  await insertRows(to, "relations", ["source_ref", "type", "target_ref", "origin_ref"], await rows(from, "SELECT source_ref, type, target_ref, origin_ref FROM relations"));
  await copyRest(from, to);
}

/**
 * Copies `from`'s catalog into `to`, whose schema is the one before migration 0018: relations_json stored
 * as a JSON array, search rows in a rowid table, each entity with a metadata.etag row (as the write path
 * added them before 0018).
 */
export async function copyAsPre0018(from: D1Database, to: D1Database): Promise<void> {
  await insertRows(to, "entities", ENTITY_COLUMNS_PRE_0018, await rows(from, `SELECT ${ENTITY_COLUMNS_PRE_0018.join(", ")} FROM entities`));
  const search = await rows(from, "SELECT entity_id, key, value, original_value FROM search ORDER BY entity_id, key");
  const etags = await rows(from, "SELECT id AS entity_id, 'metadata.etag' AS key, etag AS value, etag AS original_value FROM entities");
  await insertSearchRows(to, [...search, ...etags], false);
  await insertRows(to, "relation_pairs", ["origin_ref", "type", "other_ref", "reverse_type"], await rows(from, "SELECT * FROM relation_pairs"));
  await copyRest(from, to);
}

/**
 * Copies `from`'s catalog into `to`, whose schema is the one before migration 0019: every search row keeps
 * its original value unless it equals the folded value, descriptions and titles included (as the write
 * path stored them before 0019).
 */
export async function copyAsPre0019(from: D1Database, to: D1Database): Promise<void> {
  await insertRows(to, "entities", ENTITY_COLUMNS, await rows(from, `SELECT ${ENTITY_COLUMNS.join(", ")} FROM entities`));
  await insertSearchRows(to, await rows(from, "SELECT entity_id, key, value, original_value FROM search ORDER BY entity_id, key"), true);
  await insertRows(to, "relation_pairs", ["origin_ref", "type", "other_ref", "reverse_type"], await rows(from, "SELECT * FROM relation_pairs"));
  await copyRest(from, to);
}

/** Search rows (entity_id, key, value, original_value) into search_keys + search_rows, with `ord` when the schema has it (0018). */
async function insertSearchRows(to: D1Database, search: Row[], withOrd: boolean): Promise<void> {
  await insertRows(to, "search_keys", ["key"], [...new Set(search.map((s) => s.key))].map((key) => ({ key })));
  const keyIds = new Map((await rows(to, "SELECT id, key FROM search_keys")).map((k) => [k.key, k.id]));
  const ords = new Map<string, number>();
  const list = search.map((s) => {
    const slot = `${s.entity_id}\n${s.key}`;
    const ord = ords.get(slot) ?? 0;
    ords.set(slot, ord + 1);
    return { ...s, key_id: keyIds.get(s.key), ord, original_value: s.original_value === s.value ? null : s.original_value };
  });
  await insertRows(to, "search_rows", ["entity_id", "key_id", ...(withOrd ? ["ord"] : []), "value", "original_value"], list);
}

/** The rows besides entities, search and relations that reads use. */
async function copyRest(from: D1Database, to: D1Database, errors: (r: Row) => boolean = () => true): Promise<void> {
  await insertRows(to, "facet_counts", ["scope", "key", "value", "folded", "count"], await rows(from, "SELECT * FROM facet_counts"));
  await insertRows(to, "processing_errors", ERROR_COLUMNS, (await rows(from, `SELECT ${ERROR_COLUMNS.join(", ")} FROM processing_errors`)).filter(errors));
  await insertRows(to, "files", ["location_key", "origin_key", "parent_ref", "content_hash", "commit_sha", "commit_time", "indexed_at"], await rows(from, "SELECT * FROM files"));
  await insertRows(to, "locations", ["id", "type", "target", "key", "created_at"], await rows(from, "SELECT * FROM locations"));
}

/**
 * Copies the part of `from`'s catalog that a shard holding `namespaces` keeps (current schema): those
 * namespaces' entities (same row ids), their search rows, the relation pairs naming one of them at either
 * end, their processing errors (file-level errors go with `withFileRows`), and facet counts recounted from
 * the shard's own search rows.
 */
export async function copyShard(from: D1Database, to: D1Database, namespaces: string[], withFileRows: boolean): Promise<void> {
  const mine = (ref: unknown) => namespaces.includes(nsOf(ref));
  const entities = (await rows(from, `SELECT ${ENTITY_COLUMNS.join(", ")} FROM entities`)).filter((e) => mine(e.ref));
  await insertRows(to, "entities", ENTITY_COLUMNS, entities);
  const ids = new Set(entities.map((e) => e.id));
  const search = (await rows(from, "SELECT entity_id, key, value, original_value FROM search")).filter((s) => ids.has(s.entity_id));
  await insertSearchRows(to, search, true);
  const pairs = (await rows(from, "SELECT * FROM relation_pairs")).filter((p) => mine(p.origin_ref) || mine(p.other_ref));
  await insertRows(to, "relation_pairs", ["origin_ref", "type", "other_ref", "reverse_type"], pairs);
  await copyRest(from, to, (e) => (e.entity_ref === null ? withFileRows : mine(e.entity_ref)));
  // Recount (as migration 0006 does) from the shard's own rows.
  await to.batch([
    to.prepare("DELETE FROM facet_counts"),
    to.prepare(
      `WITH rows AS (
         SELECT s.key AS key, s.original_value AS value, s.value AS folded, lower(e.kind) AS kind FROM search s JOIN entities e ON e.id = s.entity_id
         WHERE s.key IN ('kind', 'apiversion', 'metadata.namespace', 'metadata.tags', 'spec.type', 'spec.lifecycle', 'spec.owner', 'spec.system', 'spec.domain')
           AND s.original_value IS NOT NULL)
       INSERT INTO facet_counts (scope, key, value, folded, count)
       SELECT scope, key, value, max(folded), count(*) FROM (
         SELECT '' AS scope, key, value, folded FROM rows UNION ALL SELECT kind AS scope, key, value, folded FROM rows)
       GROUP BY scope, key, value`,
    ),
  ]);
}

/** A request to the worker with `overrides` laid over the test env (another D1 as DB, CATALOG_SHARDS, ...), as the member. */
export async function fetchWith(overrides: Partial<Record<string, unknown>>, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${path}`, await withDefaultCredential(init)), { ...env, ...overrides } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/**
 * Each of `reads` (GETs that answer 200), and a by-refs across namespaces, answers over `db` (read cache off)
 * byte for byte as over the test's own database.
 */
export async function expectSameAnswers(db: D1Database, reads: readonly string[]): Promise<void> {
  for (const path of reads) {
    const want = await api(path);
    expect({ path, status: want.status }).toEqual({ path, status: 200 });
    const got = await fetchWith({ DB: db, CATALOG_READ_CACHE: "off" }, path);
    expect({ path, status: got.status, body: await got.text() }).toEqual({ path, status: want.status, body: await want.text() });
  }
  const refs = { entityRefs: ["component:platform/svc-edge-2", "api:payments/api-4", "group:default/team", "component:default/nope"] };
  const want = await postJson("/api/catalog/entities/by-refs", refs, {});
  const got = await fetchWith({ DB: db, CATALOG_READ_CACHE: "off" }, "/api/catalog/entities/by-refs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(refs) });
  expect(await got.json()).toEqual(want.body);
}
