/**
 * Migration 0018 (search rows clustered by entity without their etag rows, relations stored as a compact
 * list, relations_json generated from it) on a database that holds a catalog: the fixture is loaded through
 * the API, copied into a second D1 in the schema before 0018 (relations as JSON arrays, search rows in a
 * rowid table, an etag row per entity as the old write path added), then that database is migrated.
 * Nothing may be lost: every row and API answer over the migrated database equals the ones over the
 * database the new code wrote, and writing keeps working after it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { applyD1Migrations, env } from "cloudflare:test";
import { api, ingest } from "../helpers";
import { copyAsPre0018, expectSameAnswers, fixtureDocs } from "./catalog-copy";

const migrated = () => env.DB_SHARD_A;

async function all(db: D1Database, sql: string): Promise<unknown[]> {
  return (await db.prepare(sql).all()).results;
}

beforeAll(async () => {
  const docs = fixtureDocs();
  // A relation type outside the built-in kinds, with characters JSON escapes, must survive the list format.
  const odd = { apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "odd-one", annotations: { "a/b": 'quote " tab \t' } }, spec: { type: "service", owner: "group:default/team", lifecycle: "production" } };
  await ingest("/m18", { "/m18/a.yaml": docs.slice(0, 40).join("\n---\n"), "/m18/b.yaml": [...docs.slice(40), JSON.stringify(odd)].join("\n---\n") });
  await applyD1Migrations(migrated(), env.TEST_MIGRATIONS.filter((m) => m.name < "0018"));
  await copyAsPre0018(env.DB, migrated());
  const [before] = await all(migrated(), "SELECT count(*) AS n FROM search_rows WHERE key_id = (SELECT id FROM search_keys WHERE key = 'metadata.etag')");
  expect(before).toEqual({ n: (await all(env.DB, "SELECT id FROM entities")).length });
  await applyD1Migrations(migrated(), env.TEST_MIGRATIONS);
});

describe("migration 0018 on a populated database", () => {
  it("keeps every search row but the etag rows, and every entity's relations", async () => {
    for (const sql of [
      "SELECT entity_id, key, value, original_value FROM search ORDER BY 1, 2, 3, 4",
      "SELECT id, uid, etag, ref, title, description, tags, body, rev, relation_list, relations_json FROM entities ORDER BY id",
      "SELECT * FROM relation_pairs ORDER BY 1, 2, 3, 4",
    ]) {
      const [want, got] = [await all(env.DB, sql), await all(migrated(), sql)];
      expect(want.length).toBeGreaterThan(20);
      expect(got).toEqual(want);
    }
    expect(await all(migrated(), "SELECT * FROM search_keys WHERE key = 'metadata.etag'")).toEqual([]);
    // An entity's rows of one key are numbered 0..n-1.
    expect(await all(migrated(), "SELECT entity_id, key_id FROM search_rows GROUP BY 1, 2 HAVING min(ord) <> 0 OR max(ord) <> count(*) - 1")).toEqual([]);
    // The compact list renders back to the JSON array the relation halves give.
    const stale = await all(
      migrated(),
      `SELECT ref FROM entities e WHERE relations_json IS NOT (
         SELECT json_group_array(json_object('type', type, 'targetRef', target_ref))
         FROM (SELECT DISTINCT type, target_ref FROM relations WHERE source_ref = e.ref ORDER BY type, target_ref))`,
    );
    expect(stale).toEqual([]);
    const [withRelations] = await all(migrated(), "SELECT count(*) AS n FROM entities WHERE relation_list <> ''");
    expect((withRelations as { n: number }).n).toBeGreaterThan(20);
  });

  it("answers every catalog read as the database the new code wrote", async () => {
    const reads = [
      "/api/catalog/entities/by-query?limit=500",
      "/api/catalog/entities/by-query?filter=kind%3Dcomponent&orderField=metadata.title,desc&limit=7",
      "/api/catalog/entities/by-query?filter=relations.ownedby%3Dgroup%3Apayments%2Fteam",
      "/api/catalog/entities/by-query?filter=metadata.tags%3Djava&filter=metadata.tags%3Dgo",
      "/api/catalog/entities/by-query?filter=metadata.tags&orderField=metadata.name,asc",
      "/api/catalog/entities/by-query?fullTextFilterTerm=ledger&fullTextFilterFields=metadata.title,metadata.description",
      "/api/catalog/entities/by-query?fullTextFilterTerm=ra&fullTextFilterFields=metadata.title",
      "/api/catalog/entities/by-query?filter=metadata.annotations.example.test%2Fmixed-case%3Dvalue-3",
      "/api/catalog/entity-facets?facet=kind&facet=spec.type&facet=metadata.tags&facet=metadata.annotations.example.test/mixed-case",
      "/api/catalog/entities/by-name/component/default/odd-one",
      "/api/catalog/entities/by-name/group/default/team",
      "/api/search?q=checkout",
      "/api/catalog/graph?root=group%3Adefault%2Fteam&depth=2",
      "/api/catalog/entities?filter=kind%3Dapi&order=desc:metadata.tags",
    ];
    await expectSameAnswers(migrated(), reads);
  });

  it("filtering by metadata.etag matches nothing, as in Backstage", async () => {
    const { etag } = (await (await api("/api/catalog/entities/by-name/group/default/team")).json<{ metadata: { etag: string } }>()).metadata;
    const res = await api(`/api/catalog/entities/by-query?filter=metadata.etag%3D${etag}`);
    expect(await res.json()).toMatchObject({ items: [], totalItems: 0 });
  });

  // The rev is moved by the writer since migration 0021 (tests/worker/catalog/store/row-writes.test.ts).
  it("renders a new relation list as a JSON array", async () => {
    const db = migrated();
    const read = async () => ((await all(db, "SELECT rev, relations_json FROM entities WHERE ref = 'group:default/team'")) as { rev: number; relations_json: string }[])[0];
    await db.prepare("UPDATE entities SET relation_list = ? WHERE ref = 'group:default/team'").bind('ownerOf\tcomponent:default/a\nx\\"y\tb').run();
    const after = await read();
    expect(JSON.parse(after.relations_json)).toEqual([{ type: "ownerOf", targetRef: "component:default/a" }, { type: 'x"y', targetRef: "b" }]);
  });
});
