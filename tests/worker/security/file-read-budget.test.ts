/**
 * Every processed file gets its own budget of reads (FILE_READ_BUDGET), whatever reader the walk was given:
 * a file whose documents ask for more placeholder reads than that has the rest refused as problems naming
 * the rule, and the reads it was given resolve as usual.
 */
import { describe, expect, it } from "vitest";
import { FILE_READ_BUDGET } from "../../../worker/net/budget";
import { MAX_PLACEHOLDERS_PER_ENTITY } from "../../../worker/catalog/placeholders";
import { getJson, ingest, uniq, yamlDocs } from "../helpers";

describe("per-file read budget", () => {
  it("refuses a file's reads past its budget, entity by entity, and resolves the ones before it", async () => {
    const root = `/budget/${uniq("files")}`;
    const perEntity = MAX_PLACEHOLDERS_PER_ENTITY;
    const entities = Math.ceil((FILE_READ_BUDGET + 1) / perEntity) + 1;
    const docs = Array.from({ length: entities }, (_, e) => ({
      apiVersion: "backstage.io/v1alpha1",
      kind: "Component",
      metadata: { name: `${uniq("budgeted")}-${e}` },
      spec: {
        type: "service",
        lifecycle: "production",
        owner: "team-a",
        notes: Array.from({ length: perEntity }, (_, i) => ({ $text: `./texts/t${e}-${i}.txt` })),
      },
    }));
    const files: Record<string, string> = { [`${root}/catalog-info.yaml`]: yamlDocs(...docs) };
    for (let e = 0; e < entities; e++) for (let i = 0; i < perEntity; i++) files[`${root}/texts/t${e}-${i}.txt`] = `text ${e}-${i}`;
    const res = await ingest(root, files, { roots: [`${root}/catalog-info.yaml`] });
    const report = res.files.find((f) => f.location.endsWith("catalog-info.yaml"))!;
    const refused = report.rejected.filter((p) => /budget of \d+ reads/.test(p.message));
    expect(refused.length).toBeGreaterThan(0);
    // The first entities stayed within the file's share: they are stored with every placeholder resolved.
    const first = await getJson(`/api/catalog/entities/by-name/component/default/${docs[0].metadata.name}`);
    expect(first.status).toBe(200);
    expect(first.body.spec.notes).toEqual(Array.from({ length: perEntity }, (_, i) => `text 0-${i}`));
    // The entity that ran out names the field and the rule, and is not stored half-resolved.
    const last = docs.at(-1)!.metadata.name;
    expect(refused.some((p) => p.entityRef?.includes(last))).toBe(true);
  });
});
