/**
 * Migration 0015 (relations stored once, the leaner search index, entity rows without copies) on a database
 * that holds a catalog: the fixture is loaded through the API, copied into a second D1 in the schema before
 * 0015, then that database is migrated. Nothing may be lost: every derived row and every API answer over the
 * migrated database equals the ones over the database the new code wrote.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { applyD1Migrations, env } from "cloudflare:test";
import { api, ingest } from "../helpers";
import { copyAsPre0015, expectSameAnswers, fixtureDocs } from "./catalog-copy";

const migrated = () => env.DB_SHARD_A;

beforeAll(async () => {
  const docs = fixtureDocs();
  await ingest("/m15", { "/m15/a.yaml": docs.slice(0, 40).join("\n---\n"), "/m15/b.yaml": docs.slice(40).join("\n---\n") });
  await applyD1Migrations(migrated(), env.TEST_MIGRATIONS.filter((m) => m.name < "0015"));
  await copyAsPre0015(env.DB, migrated());
  await applyD1Migrations(migrated(), env.TEST_MIGRATIONS);
});

async function all(db: D1Database, sql: string): Promise<unknown[]> {
  return (await db.prepare(sql).all()).results;
}

describe("migration 0015 on a populated database", () => {
  it("keeps every relation half, search row and entity column", async () => {
    for (const sql of [
      "SELECT source_ref, type, target_ref, origin_ref FROM relations ORDER BY 1, 2, 3, 4",
      "SELECT entity_id, key, value, original_value FROM search ORDER BY 1, 2, 3, 4",
      "SELECT id, uid, etag, ref, title, description, tags, body, relations_json FROM entities ORDER BY id",
    ]) {
      const [want, got] = [await all(env.DB, sql), await all(migrated(), sql)];
      expect(want.length).toBeGreaterThan(20);
      expect(got).toEqual(want);
    }
    // One row per pair: half the halves.
    const [pairs, halves] = await Promise.all([all(migrated(), "SELECT * FROM relation_pairs"), all(migrated(), "SELECT * FROM relations")]);
    expect(pairs.length * 2).toBe(halves.length);
    // original_value is stored only where it differs from the folded value.
    const [stored] = await all(migrated(), "SELECT count(*) AS n FROM search_rows WHERE original_value = value");
    expect(stored).toEqual({ n: 0 });
  });

  it("leaves the full-text index whole and matching as before", async () => {
    await migrated().prepare("INSERT INTO entities_fts(entities_fts) VALUES ('integrity-check')").run();
    for (const term of ['"portal"', '"ledger"', '{name title} : "svc-"', '"äther"']) {
      const sql = `SELECT rowid FROM entities_fts WHERE entities_fts MATCH '${term.replaceAll("'", "''")}' ORDER BY rowid`;
      expect(await all(migrated(), sql)).toEqual(await all(env.DB, sql));
    }
  });

  it("answers every catalog read as the database the new code wrote", async () => {
    const reads = [
      "/api/catalog/entities/by-query?limit=500",
      "/api/catalog/entities/by-query?filter=kind%3Dcomponent&orderField=metadata.title,desc&limit=7",
      "/api/catalog/entities/by-query?filter=relations.ownedby%3Dgroup%3Apayments%2Fteam",
      "/api/catalog/entities/by-query?filter=relations.hasmember%3Duser%3Adefault%2Fuser-2",
      "/api/catalog/entities/by-query?fullTextFilterTerm=ledger&fullTextFilterFields=metadata.title,metadata.description",
      "/api/catalog/entities/by-query?filter=metadata.annotations.example.test%2Fmixed-case%3Dvalue-3",
      "/api/catalog/entity-facets?facet=kind&facet=spec.type&facet=metadata.tags&facet=metadata.annotations.example.test/mixed-case",
      "/api/catalog/entity-facets?facet=spec.owner&filter=metadata.namespace%3Dpayments",
      "/api/catalog/entities/by-name/component/payments/svc-stream-1",
      "/api/catalog/entities/by-name/group/default/team",
      "/api/search?q=checkout",
      "/api/catalog/graph?root=group%3Adefault%2Fteam&depth=2",
      "/api/catalog/entities?filter=kind%3Duser&order=asc:metadata.name",
    ];
    await expectSameAnswers(migrated(), reads);
  });

  it("keeps writing after the migration: a rewrite and a removal keep relations and search rows exact", async () => {
    const docs = fixtureDocs();
    // Drop the second file's entities but one, and retitle that one.
    const kept = JSON.parse(docs[40]);
    kept.metadata.title = "Retitled";
    await ingest("/m15", { "/m15/a.yaml": docs.slice(0, 40).join("\n---\n"), "/m15/b.yaml": JSON.stringify(kept) });
    const halves = await all(env.DB, "SELECT source_ref, type, target_ref FROM relations ORDER BY 1, 2, 3");
    const rendered = await all(env.DB, "SELECT ref, relations_json FROM entities ORDER BY ref");
    // Every entity's relations_json equals its halves in the view.
    for (const { ref, relations_json } of rendered as { ref: string; relations_json: string }[]) {
      const mine = (halves as { source_ref: string; type: string; target_ref: string }[]).filter((h) => h.source_ref === ref);
      const unique = [...new Map(mine.map((h) => [`${h.type} ${h.target_ref}`, { type: h.type, targetRef: h.target_ref }])).values()];
      expect(JSON.parse(relations_json)).toEqual(unique);
    }
    const { body } = await (async () => {
      const res = await api("/api/catalog/entities/by-query?fullTextFilterTerm=retitled&fullTextFilterFields=metadata.title");
      return { body: await res.json<{ totalItems: number }>() };
    })();
    expect(body.totalItems).toBe(1);
  });
});
