/**
 * The rows the write path keeps instead of aggregating at read time (stored relations, facet counts, the
 * totals read from them) must always equal what the base tables say. fast-check drives random sequences of
 * file writes, file removals, conflicting copies and deletions by uid through the HTTP API, and after every
 * step compares each derived row with the same figure computed live.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { env } from "cloudflare:test";
import { ADMIN, api, getJson, ingest, uniq } from "../../helpers";

const TEAMS = ["team-a", "team-b", "team-c"];
const SYSTEMS = ["sys-x", "sys-y"];
const NAMES = ["svc-1", "svc-2", "svc-3", "lib-1", "web-1"];
const FILES = ["one.yaml", "two.yaml", "three.yaml"];

const componentDoc = fc.record({
  name: fc.constantFrom(...NAMES),
  type: fc.constantFrom("service", "library", "Website", "WEBSITE"),
  owner: fc.constantFrom(...TEAMS),
  system: fc.option(fc.constantFrom(...SYSTEMS), { nil: undefined }),
  dependsOn: fc.uniqueArray(fc.constantFrom(...NAMES.map((n) => `component:${n}`)), { maxLength: 2 }),
  tags: fc.uniqueArray(fc.constantFrom("java", "Java", "web", "ünï"), { maxLength: 2 }),
});

type Doc = { kind: string; name: string; spec: Record<string, unknown>; tags?: string[] };

const otherDoc: fc.Arbitrary<Doc> = fc.oneof(
  fc.constantFrom(...TEAMS).map((name) => ({ kind: "Group", name, spec: { type: "team", children: [] } })),
  fc.constantFrom(...SYSTEMS).map((name) => ({ kind: "System", name, spec: { owner: "team-a" } })),
);

const fileContent = fc
  .array(fc.oneof(componentDoc.map((c): Doc => ({
    kind: "Component",
    name: c.name,
    tags: c.tags,
    spec: { type: c.type, lifecycle: "production", owner: c.owner, ...(c.system ? { system: c.system } : {}), dependsOn: c.dependsOn },
  })), otherDoc), { maxLength: 4 })
  .map((docs) =>
    docs
      .map((d) => JSON.stringify({ apiVersion: "backstage.io/v1alpha1", kind: d.kind, metadata: { name: d.name, ...(d.tags ? { tags: d.tags } : {}) }, spec: d.spec }))
      .join("\n---\n"),
  );

type Step =
  | { op: "write"; root: 0 | 1; file: string; content: string }
  | { op: "remove"; root: 0 | 1; file: string }
  | { op: "deleteUid"; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("write" as const), root: fc.constantFrom(0 as const, 1 as const), file: fc.constantFrom(...FILES), content: fileContent }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remove" as const), root: fc.constantFrom(0 as const, 1 as const), file: fc.constantFrom(...FILES) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteUid" as const), pick: fc.nat() }) },
);

async function checkDerivedRows() {
  const { results: stale } = await env.DB.prepare(
    `SELECT ref, relations_json AS stored, (
       SELECT json_group_array(json_object('type', type, 'targetRef', target_ref))
       FROM (SELECT DISTINCT type, target_ref FROM relations WHERE source_ref = e.ref ORDER BY type, target_ref)) AS live
     FROM entities e WHERE relations_json IS NOT live`,
  ).all();
  expect(stale).toEqual([]);

  const { results: counts } = await env.DB.prepare(
    `WITH rows AS (SELECT s.key, s.original_value AS value, s.value AS folded, lower(e.kind) AS kind FROM search s JOIN entities e ON e.id = s.entity_id
       WHERE s.original_value IS NOT NULL AND s.key IN ('kind', 'spec.type', 'spec.owner', 'spec.system', 'metadata.tags'))
     SELECT scope, key, value, folded, count(*) AS count FROM (
       SELECT '' AS scope, key, value, folded FROM rows UNION ALL SELECT kind, key, value, folded FROM rows)
     GROUP BY scope, key, value ORDER BY scope, key, value`,
  ).all();
  const { results: stored } = await env.DB.prepare(
    `SELECT scope, key, value, folded, count FROM facet_counts WHERE key IN ('kind', 'spec.type', 'spec.owner', 'spec.system', 'metadata.tags')
     ORDER BY scope, key, value`,
  ).all();
  expect(stored).toEqual(counts);

  // Totals read from facet_counts equal a count of the matching rows.
  for (const filter of ["kind=component,spec.type=website", "spec.owner=team-b", "kind=component,metadata.tags=java", "metadata.tags=ünï", "kind=group"]) {
    const { body } = await getJson(`/api/catalog/entities/by-query?filter=${encodeURIComponent(filter)}&limit=1`);
    const statements = filter.split(",").map((s) => s.split("="));
    const { results } = await env.DB.prepare(
      `SELECT count(*) AS n FROM entities e WHERE ${statements.map(() => "EXISTS (SELECT 1 FROM search s WHERE s.entity_id = e.id AND s.key = ? AND s.value = ?)").join(" AND ")}`,
    )
      .bind(...statements.flat())
      .all<{ n: number }>();
    expect({ filter, total: body.totalItems }).toEqual({ filter, total: results[0].n });
  }
}

describe("derived rows", () => {
  it("stored relations, facet counts and counted totals always equal the base tables", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const roots = [`/${uniq("p")}`, `/${uniq("q")}`];
        // Each run starts from an empty catalog so that refs from earlier runs cannot collide.
        await env.DB.batch(["entities", "search_rows", "relation_pairs", "facet_counts", "files", "processing_errors"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
        const written = new Map<string, string>();
        for (const s of steps) {
          if (s.op === "write" || s.op === "remove") {
            const root = roots[s.root];
            const target = `${root}/${s.file}`;
            if (s.op === "write") written.set(target, s.content);
            else written.delete(target);
            const files = [...written].filter(([t]) => t.startsWith(`${root}/`)).map(([t, content]) => ({ target: t, content }));
            await ingest(root, files, { complete: true });
          } else {
            const { results } = await env.DB.prepare("SELECT uid FROM entities ORDER BY id").all<{ uid: string }>();
            if (!results.length) continue;
            const res = await api(`/api/catalog/entities/by-uid/${results[s.pick % results.length].uid}`, { method: "DELETE", headers: ADMIN });
            expect(res.status).toBe(204);
          }
          await checkDerivedRows();
        }
      }),
      // Shrinking a failure replays many sequences; keep it bounded so a failure reports instead of timing out.
      { numRuns: 15, interruptAfterTimeLimit: 60_000 },
    );
  }, 120_000);
});
