/**
 * A batch whose search rows take more than one statement stages them and moves them to search_rows in one
 * ordered pass (migration 0022). The rows must be exactly those a batch of one chunk writes, every filter must
 * find them, and the staging table must be empty once the batch is done.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { applyFiles, BULK_FILES_PER_BATCH, type FileWrite } from "../../../../worker/catalog/store/apply-file";
import { processFile } from "../../../../worker/catalog/process-file";
import { getJson, uniq, yamlDocs } from "../../helpers";

const TAGS = Array.from({ length: 60 }, (_, i) => `tag-number-${String(i).padStart(3, "0")}`);

/** 40 files of 10 components with 60 tags each: about 2 MB of search rows, three statements' worth. */
async function files(prefix: string): Promise<FileWrite[]> {
  return Promise.all(
    Array.from({ length: 40 }, async (_, f) => {
      const docs = Array.from({ length: 10 }, (_, i) => ({
        apiVersion: "backstage.io/v1alpha1",
        kind: "Component",
        metadata: { name: `${prefix}-${f}-${i}`, description: `Component ${i} of file ${f}`, tags: TAGS.slice((f + i) % 20, (f + i) % 20 + 40) },
        spec: { type: "service", lifecycle: "production", owner: `team-${i % 3}` },
      }));
      const target = `/${prefix}/f${f}.yaml`;
      const file = await processFile({ location: { type: "file", target }, origin: `file:/${prefix}`, content: yamlDocs(...docs) });
      return { file, originKey: `file:/${prefix}`, parentRef: null, contentHash: null };
    }),
  );
}

/** The search rows of the entities named `${prefix}-…`, with what differs between the two loads left out. */
async function rowsOf(prefix: string): Promise<unknown[]> {
  const { results } = await env.DB.prepare(
    `SELECT substr(e.name, length(?1) + 1) AS name, s.key, s.value, s.original_value FROM search s JOIN entities e ON e.id = s.entity_id
     WHERE e.name LIKE ?1 || '-%' AND s.key NOT IN ('metadata.name', 'metadata.uid', 'metadata.annotations.backstage.io/managed-by-location', 'metadata.annotations.backstage.io/managed-by-origin-location')
     ORDER BY 1, 2, 3, 4`,
  )
    .bind(prefix)
    .all();
  return results;
}

describe("search rows staged across a batch's statements", () => {
  it("writes the rows a one-statement batch writes, and leaves the staging table empty", async () => {
    const [bulk, single] = [uniq("stage-bulk"), uniq("stage-one")];
    const bulkWrites = await files(bulk);
    await env.DB.batch([
      env.DB.prepare("CREATE TABLE test_staged (n integer NOT NULL)"),
      env.DB.prepare("INSERT INTO test_staged VALUES (0)"),
      env.DB.prepare("CREATE TRIGGER test_staged_ai AFTER INSERT ON search_rows_staging BEGIN UPDATE test_staged SET n = n + 1; END"),
    ]);
    // One group of 40 files: its search rows are bound in several ~900 KB chunks, so they are staged.
    await applyFiles(env.DB, bulkWrites, BULK_FILES_PER_BATCH);
    const { n: staged } = (await env.DB.prepare("SELECT n FROM test_staged").first<{ n: number }>())!;
    await env.DB.batch([env.DB.prepare("DROP TRIGGER test_staged_ai"), env.DB.prepare("DROP TABLE test_staged")]);
    // One file a batch: one chunk each, written straight to search_rows.
    await applyFiles(env.DB, await files(single), 1);
    const [got, want] = [await rowsOf(bulk), await rowsOf(single)];
    expect(got.length).toBeGreaterThan(400 * 80);
    // Every row of the bulk batch went through the staging table (the uid, name and location rows too).
    expect(staged).toBeGreaterThan(got.length);
    expect(got).toEqual(want);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM search_rows_staging").first()).toEqual({ n: 0 });
    const tagged = await getJson(`/api/catalog/entities/by-query?filter=metadata.tags=${TAGS[58]},metadata.name=${bulk}-39-0&fields=metadata.name`);
    expect(tagged.body.items).toEqual([{ metadata: { name: `${bulk}-39-0` } }]);
  });
});
