/**
 * Migration 0019 and the write path with it: a description's or title's search row stores no original value
 * when the entity row holds the same text, and the `search` view reads it back from there. Checked on a
 * database in the schema before 0019 (every original stored), migrated, against the one the new code wrote:
 * the same view rows and the same API answers; and, for arbitrary titles and descriptions (fast-check), the
 * view gives back what Backstage's buildEntitySearch would index.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyD1Migrations, env } from "cloudflare:test";
import { api, ingest } from "../helpers";
import { copyAsPre0019, expectSameAnswers, fixtureDocs } from "./catalog-copy";
import { buildSearchRows } from "../../../worker/catalog/search-index";

const migrated = () => env.DB_SHARD_B;

async function all<T = Record<string, unknown>>(db: D1Database, sql: string): Promise<T[]> {
  return (await db.prepare(sql).all<T>()).results;
}

const SEARCH = "SELECT entity_id, key, value, original_value FROM search ORDER BY 1, 2, 3, 4";
const STORED_ORIGINALS = `SELECT count(*) AS n FROM search_rows r JOIN search_keys k ON k.id = r.key_id
  WHERE k.key IN ('metadata.description', 'metadata.title') AND r.original_value IS NOT NULL`;

const long = "A Long Title ".repeat(20);
let viewBefore: unknown[];
let storedBefore: number;

beforeAll(async () => {
  const docs = fixtureDocs();
  // A title past Backstage's 200 characters is indexed with a null value, and must stay without an original.
  const extra = { apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "long-title", title: long, description: "all lower case" }, spec: { type: "service", owner: "group:default/team", lifecycle: "production" } };
  await ingest("/m19", { "/m19/a.yaml": [...docs, JSON.stringify(extra)].join("\n---\n") });
  await applyD1Migrations(migrated(), env.TEST_MIGRATIONS.filter((m) => m.name < "0019"));
  await copyAsPre0019(env.DB, migrated());
  viewBefore = await all(migrated(), SEARCH);
  [{ n: storedBefore }] = await all<{ n: number }>(migrated(), STORED_ORIGINALS);
  await applyD1Migrations(migrated(), env.TEST_MIGRATIONS);
});

describe("migration 0019 on a populated database", () => {
  it("drops the originals the entity row gives back, and the search view is unchanged", async () => {
    expect(storedBefore).toBeGreaterThan(30);
    expect(await all(migrated(), STORED_ORIGINALS)).toEqual([{ n: 0 }]);
    const after = await all(migrated(), SEARCH);
    expect(after.length).toBeGreaterThan(500);
    expect(after).toEqual(viewBefore);
    expect(after).toEqual(await all(env.DB, SEARCH));
  });

  it("the write path stores none of them either, and the long title keeps a null value and original", async () => {
    expect(await all(env.DB, STORED_ORIGINALS)).toEqual([{ n: 0 }]);
    const rows = await all(env.DB, "SELECT s.key, s.value, s.original_value FROM search s JOIN entities e ON e.id = s.entity_id WHERE e.name = 'long-title' AND s.key IN ('metadata.title', 'metadata.description') ORDER BY 1");
    expect(rows).toEqual([
      { key: "metadata.description", value: "all lower case", original_value: "all lower case" },
      { key: "metadata.title", value: null, original_value: null },
    ]);
  });

  it("answers reads on titles and descriptions as the database the new code wrote", async () => {
    await expectSameAnswers(migrated(), [
      "/api/catalog/entity-facets?facet=metadata.title&facet=metadata.description",
      "/api/catalog/entity-facets?facet=metadata.title&filter=kind%3Dcomponent&filter=spec.type%3Dservice",
      "/api/catalog/entities/by-query?filter=metadata.title%3Dteam%20payments",
      "/api/catalog/entities/by-query?filter=kind%3Dcomponent&orderField=metadata.title,desc&limit=9",
      "/api/catalog/entities?filter=kind%3Dcomponent&order=asc:metadata.description",
      "/api/catalog/entities/by-query?fullTextFilterTerm=ät&fullTextFilterFields=metadata.title,metadata.description",
    ]);
  });

  it("facets give titles as written, in their original case", async () => {
    const res = await api("/api/catalog/entity-facets?facet=metadata.title&filter=kind%3Dgroup");
    const { facets } = await res.json<{ facets: Record<string, { value: string; count: number }[]> }>();
    expect(facets["metadata.title"].map((f) => f.value).sort()).toEqual(["Team default", "Team payments", "Team platform"]);
  });
});

describe("titles and descriptions of any text", () => {
  it("come back from the search view as buildSearchRows indexes them (fast-check)", async () => {
    const text = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }), fc.string({ minLength: 195, maxLength: 210 }));
    const samples = fc.sample(fc.record({ title: text, description: text }), { numRuns: 40, seed: 19 });
    const entities = samples.map(({ title, description }, i) => ({
      apiVersion: "backstage.io/v1alpha1",
      kind: "Component",
      metadata: { name: `text-${i}`, title, description },
      spec: { type: "service", owner: "group:default/team", lifecycle: "production" },
    }));
    const res = await ingest("/m19-text", { "/m19-text/a.yaml": entities.map((e) => JSON.stringify(e)).join("\n---\n") });
    expect(res.summary).toMatchObject({ added: entities.length, rejected: 0 });
    const got = await all<{ name: string; key: string; value: string | null; original_value: string | null }>(
      env.DB,
      "SELECT e.name, s.key, s.value, s.original_value FROM search s JOIN entities e ON e.id = s.entity_id WHERE e.name LIKE 'text-%' AND s.key IN ('metadata.title', 'metadata.description')",
    );
    for (const [i, entity] of entities.entries()) {
      const want = buildSearchRows(entity as never)
        .filter((r) => r.key === "metadata.title" || r.key === "metadata.description")
        .map((r) => ({ key: r.key, value: r.value, original_value: r.originalValue }))
        .sort((a, b) => a.key.localeCompare(b.key));
      const mine = got.filter((r) => r.name === `text-${i}`).map(({ key, value, original_value }) => ({ key, value, original_value }));
      expect(mine.sort((a, b) => a.key.localeCompare(b.key))).toEqual(want);
    }
  });
});
