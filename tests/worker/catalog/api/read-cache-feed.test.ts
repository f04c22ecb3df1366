/**
 * Cached answers checked against the entity feed (issue 13; migration 0020, catalog/change-feed.ts): when a write
 * moves a cached answer's tags but touches none of its entities (by-refs: its refs) and none of the search keys
 * it filters, orders, searches or counts by, the answer is served again without running the route; when one of
 * them changed in any way (a description, a relation another entity's write gives it, a removal, a ref that was
 * missing appearing, a key a page is ordered by off the page), the answer is new. The class tests: under any
 * interleaving (fast-check), every answer equals an uncached worker's, and the feed path is taken.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { env } from "cloudflare:test";
import { component, ingest, uniq, yamlDocs } from "../../helpers";
import { read, uncached } from "./cache-reads";
import { cacheStats } from "../../../../worker/catalog/read-cache";

const byRefs = (refs: string[], filter?: string) =>
  [`/api/catalog/entities/by-refs${filter ? `?filter=${encodeURIComponent(filter)}` : ""}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ entityRefs: refs }) }] as const;

/**
 * Writes `count` entities over three files under `root` (entity i in file i % 3, as `doc(i)` renders it, or left
 * out when null), each file with a Group nobody reads, so it is never empty and each write is a real one.
 */
function writeThreeFiles(root: string, group: string, count: number, doc: (i: number) => string | null) {
  const files = [0, 1, 2].map((f) => {
    const docs = Array.from({ length: count }, (_, i) => i).flatMap((i) => (i % 3 === f ? (doc(i) ?? []) : []));
    const team = `apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: ${group}-${f}\nspec:\n  type: team\n  children: []\n`;
    return [`${root}/f${f}.yaml`, yamlDocs(...docs, team)];
  });
  return ingest(root, Object.fromEntries(files));
}

/** Reads twice (the second a hit), so the entry is cached and current. */
async function cached(path: string, init?: RequestInit): Promise<string> {
  await read(path, init);
  const hit = await read(path, init);
  expect(hit.cache).toBe("hit");
  return hit.text;
}

describe("by-refs answers and the entity feed", () => {
  it("serves an answer again, without the route, when a write changed none of its refs", async () => {
    const root = `/${uniq("feed")}`;
    const [a, b, c] = [uniq("fa"), uniq("fb"), uniq("fc")];
    await ingest(root, { [`${root}/ab.yaml`]: yamlDocs(component(a), component(b)), [`${root}/c.yaml`]: component(c, {}, { description: "c0" }) });
    const [path, init] = byRefs([`component:default/${a}`, `Component:Default/${b.toUpperCase()}`, "component:default/missing-one"]);
    const first = await cached(path, init);

    const before = cacheStats.revalidatedByFeed;
    await ingest(root, { [`${root}/c.yaml`]: component(c, {}, { description: "c1" }) }, { complete: false });
    const again = await read(path, init);
    expect(again.cache).toBe("revalidated");
    expect(again.text).toBe(first);
    expect(cacheStats.revalidatedByFeed).toBe(before + 1);
    expect((await read(path, init)).cache).toBe("hit");
  });

  it("renders anew when one of its refs changed, however it changed", async () => {
    const root = `/${uniq("feedchg")}`;
    const [a, b, c, late] = [uniq("ga"), uniq("gb"), uniq("gc"), uniq("glate")];
    const files = {
      a: (desc: string) => component(a, {}, { description: desc }),
      c: (spec: Record<string, unknown>) => component(c, spec),
    };
    await ingest(root, { [`${root}/a.yaml`]: files.a("a0"), [`${root}/b.yaml`]: component(b), [`${root}/c.yaml`]: files.c({}) });
    const refs = [`component:default/${a}`, `component:default/${b}`, `component:default/${late}`];
    const [path, init] = byRefs(refs);
    const writes: [string, () => Promise<unknown>, (text: string) => void][] = [
      ["its own description", () => ingest(root, { [`${root}/a.yaml`]: files.a("a1") }, { complete: false }), (t) => expect(t).toContain('"a1"')],
      // c's write gives b a relation (dependencyOf) without touching b's file.
      ["a relation another entity's write gives it", () => ingest(root, { [`${root}/c.yaml`]: files.c({ dependsOn: [`component:default/${b}`] }) }, { complete: false }), (t) => expect(t).toContain(`"dependencyOf"`)],
      ["a ref that was missing appearing", () => ingest(root, { [`${root}/late.yaml`]: component(late) }, { complete: false }), (t) => expect(JSON.parse(t).items[2]?.metadata.name).toBe(late)],
      ["its removal", () => ingest(root, { [`${root}/a.yaml`]: files.a("a1"), [`${root}/c.yaml`]: files.c({ dependsOn: [`component:default/${b}`] }), [`${root}/late.yaml`]: component(late) }), (t) => expect(JSON.parse(t).items[1]).toBe(null)],
    ];
    for (const [what, write, check] of writes) {
      await cached(path, init);
      await write();
      const after = await read(path, init);
      expect(after.cache, what).toBe("miss");
      check(after.text);
      expect(after.text, what).toBe(await uncached(path, init));
    }
  });

  it("falls back to the route's check after a burst longer than one feed read takes", async () => {
    const root = `/${uniq("feedburst")}`;
    const [a, c] = [uniq("ha"), uniq("hc")];
    await ingest(root, { [`${root}/a.yaml`]: component(a), [`${root}/c.yaml`]: component(c, {}, { description: "c0" }) });
    const [path, init] = byRefs([`component:default/${a}`]);
    const first = await cached(path, init);
    // More feed rows than a read takes (MAX_DELTA_ROWS), as a bulk load would leave: the view starts over.
    const burst = Array.from({ length: 2500 }, (_, i) => `component:default/burst-${i}`);
    await env.DB.prepare("INSERT INTO entity_feed (entity_id, ref, keys) SELECT 0, value, NULL FROM json_each(?)").bind(JSON.stringify(burst)).run();
    await ingest(root, { [`${root}/c.yaml`]: component(c, {}, { description: "c1" }) }, { complete: false });
    const before = cacheStats.revalidatedByFeed;
    const again = await read(path, init);
    // Not judged by the feed (the answer predates the view's window), but the route's ids-and-revs check holds.
    expect(again.cache).toBe("revalidated");
    expect(again.text).toBe(first);
    expect(cacheStats.revalidatedByFeed).toBe(before);
    // From then on the view covers the answer again.
    await ingest(root, { [`${root}/c.yaml`]: component(c, {}, { description: "c2" }) }, { complete: false });
    expect((await read(path, init)).cache).toBe("revalidated");
    expect(cacheStats.revalidatedByFeed).toBe(before + 1);
  });

  it("keeps the feed to its newest rows, without gaps", async () => {
    const rows = Array.from({ length: 9000 }, (_, i) => `component:default/prune-${i}`);
    await env.DB.prepare("INSERT INTO entity_feed (entity_id, ref, keys) SELECT 0, value, NULL FROM json_each(?)").bind(JSON.stringify(rows)).run();
    const { n, lo, hi } = (await env.DB.prepare("SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM entity_feed").first<{ n: number; lo: number; hi: number }>())!;
    expect(n).toBeLessThanOrEqual(8192 + 1024);
    expect(n).toBeGreaterThanOrEqual(8192);
    expect(hi - lo + 1).toBe(n);
  });
});

describe("by-refs under interleaved writes and reads", () => {
  const names = Array.from({ length: 6 }, (_, i) => `feedmix-${i}`);
  const root = "/feed-mix";
  const state = names.map(() => ({ description: "d0", present: true, dependsOn: -1 }));
  const write = () =>
    writeThreeFiles(root, "feedmix-team", names.length, (i) => {
      const s = state[i];
      return s.present ? component(names[i], s.dependsOn >= 0 ? { dependsOn: [`component:default/${names[s.dependsOn]}`] } : {}, { description: s.description }) : null;
    });
  const reads = [
    byRefs(names.slice(0, 3).map((n) => `component:default/${n}`)),
    byRefs([...names].reverse().map((n) => `Component:default/${n}`)),
    byRefs([`component:default/${names[4]}`, "component:default/nobody", `component:default/${names[1]}`]),
    byRefs(names.map((n) => `component:default/${n}`), "spec.type=service"),
  ];

  it("always answers as an uncached worker does, and the feed path is taken (fast-check)", async () => {
    await write();
    const command = fc.oneof(
      fc.record({ entity: fc.nat(names.length - 1), description: fc.constantFrom("d0", "d1", "zz") }),
      fc.record({ entity: fc.nat(names.length - 1), present: fc.boolean() }),
      fc.record({ entity: fc.nat(names.length - 1), dependsOn: fc.integer({ min: -1, max: names.length - 1 }) }),
      fc.record({ read: fc.nat(reads.length - 1) }),
      fc.record({ read: fc.nat(reads.length - 1) }),
    );
    const before = cacheStats.revalidatedByFeed;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 16 }), async (commands) => {
        for (const cmd of commands) {
          if ("read" in cmd) {
            const [path, init] = reads[cmd.read];
            const got = await read(path, init);
            expect(got.status).toBe(200);
            expect(got.text, `${path} ${init.body}`).toBe(await uncached(path, init));
            continue;
          }
          const { entity, ...change } = cmd;
          Object.assign(state[entity], change);
          await write();
        }
      }),
      { numRuns: 30, seed: 2020 },
    );
    expect(cacheStats.revalidatedByFeed).toBeGreaterThan(before);
  });
});

describe("pages, full text and facets and the entity feed", () => {
  const q = (s: string) => encodeURIComponent(s);

  it("serves a page again without the route when the write touched neither its entities nor its keys", async () => {
    const root = `/${uniq("feedpage")}`;
    const [a, b, c] = [uniq("pa"), uniq("pb"), uniq("pc")];
    const file = (name: string, spec: Record<string, unknown>, desc: string) => component(name, spec, { description: desc });
    await ingest(root, {
      [`${root}/a.yaml`]: file(a, { type: "website" }, "a0"),
      [`${root}/b.yaml`]: file(b, { type: "website" }, "b0"),
      [`${root}/c.yaml`]: file(c, { type: "library" }, "c0"),
    });
    const page = `/api/catalog/entities/by-query?filter=${q(`kind=component,spec.type=website,metadata.name=${a},metadata.name=${b},metadata.name=${c}`)}&limit=1`;
    const facets = `/api/catalog/entity-facets?facet=spec.type&filter=${q(`kind=component,metadata.name=${a},metadata.name=${b},metadata.name=${c}`)}`;
    for (const path of [page, facets]) await cached(path);
    const firstPage = (await read(page)).text;

    // c's description: neither on the page nor a key either answer reads.
    let before = cacheStats.revalidatedByFeed;
    await ingest(root, { [`${root}/c.yaml`]: file(c, { type: "library" }, "c1") }, { complete: false });
    for (const path of [page, facets]) expect((await read(path)).cache, path).toBe("revalidated");
    expect(cacheStats.revalidatedByFeed).toBe(before + 2);
    expect((await read(page)).text).toBe(firstPage);

    // b's description: b is in the filter's set, on the page or not (limit 1).
    await ingest(root, { [`${root}/b.yaml`]: file(b, { type: "website" }, "b1") }, { complete: false });
    const onPage = JSON.parse(firstPage).items[0].metadata.name;
    const other = onPage === a ? b : a;
    expect((await read(page)).cache).toBe(other === b ? "revalidated" : "miss");

    // c's type: a key both read. The route decides: the page is unchanged (c stays out), the facet is not.
    await cached(page);
    await cached(facets);
    before = cacheStats.revalidatedByFeed;
    await ingest(root, { [`${root}/c.yaml`]: file(c, { type: "service" }, "c1") }, { complete: false });
    expect((await read(page)).cache).toBe("revalidated");
    const facetAfter = await read(facets);
    expect(facetAfter.cache).toBe("miss");
    expect(facetAfter.text).toContain('"service"');
    expect(facetAfter.text).toBe(await uncached(facets));
    expect(cacheStats.revalidatedByFeed).toBe(before);
  });

  it("renders anew when a write touches a key the page is ordered or searched by, off the page", async () => {
    const root = `/${uniq("feedorder")}`;
    const [a, b] = [uniq("oa"), uniq("ob")];
    const file = (name: string, title: string, desc: string) => component(name, {}, { title, description: desc });
    await ingest(root, { [`${root}/a.yaml`]: file(a, "t1", "plain"), [`${root}/b.yaml`]: file(b, "t0", "plain") });
    const names = `kind=component,metadata.name=${a},metadata.name=${b}`;
    const ordered = `/api/catalog/entities/by-query?filter=${q(names)}&orderField=${q("metadata.title,desc")}&limit=1`;
    const searched = `/api/catalog/entities/by-query?filter=${q(names)}&fullTextFilterTerm=needle&fullTextFilterFields=metadata.description&limit=5`;
    for (const path of [ordered, searched]) await cached(path);
    expect(JSON.parse((await read(ordered)).text).items[0].metadata.name).toBe(a);
    // b (not on either page) gets the first title and a description with the term.
    await ingest(root, { [`${root}/b.yaml`]: file(b, "t9", "has the needle") }, { complete: false });
    for (const path of [ordered, searched]) {
      const after = await read(path);
      expect(after.cache, path).toBe("miss");
      expect(after.text).toBe(await uncached(path));
      expect(JSON.parse(after.text).items[0].metadata.name, path).toBe(b);
    }
  });

  const names = Array.from({ length: 6 }, (_, i) => `fp-${i}`);
  const root = "/feed-pages";
  const TYPES = ["service", "website"];
  const DESCRIPTIONS = ["alpha one", "beta two", "alpha three"];
  const TAGS = [[], ["java"], ["go", "java"]];
  const state = names.map((_, i) => ({ present: true, type: i % 2, description: i % 3, title: `t${i}`, tags: i % 3, owner: "team-a" }));
  const write = () =>
    writeThreeFiles(root, "fp-team", names.length, (i) => {
      const s = state[i];
      return s.present ? component(names[i], { type: TYPES[s.type], owner: s.owner }, { description: DESCRIPTIONS[s.description], title: s.title, tags: TAGS[s.tags] }) : null;
    });
  const only = `metadata.name=${names.join(",metadata.name=")}`;
  const reads = [
    `/api/catalog/entities/by-query?filter=${q(`kind=component,spec.type=service,${only}`)}&limit=2`,
    `/api/catalog/entities/by-query?filter=${q(`kind=component,${only}`)}&orderField=${q("metadata.title,desc")}&limit=3`,
    `/api/catalog/entities/by-query?fullTextFilterTerm=fp-&fullTextFilterFields=metadata.name&limit=2`,
    `/api/catalog/entities/by-query?fullTextFilterTerm=alpha&fullTextFilterFields=metadata.description&filter=${q(`kind=component,${only}`)}&limit=2`,
    `/api/catalog/entities/by-query?filter=${q(`kind=component,metadata.tags=java,${only}`)}`,
    `/api/catalog/entity-facets?facet=spec.type&facet=metadata.tags&filter=${q(`kind=component,${only}`)}`,
    `/api/catalog/entity-facets?facet=spec.owner&filter=kind=component`,
  ];

  it("always answers as an uncached worker does, cursors included, and the feed path is taken (fast-check)", async () => {
    await write();
    const entity = fc.nat(names.length - 1);
    // Adds and removals (whose keys the feed cannot name) are rarer, so most spans are judged key by key.
    const command = fc.oneof(
      { arbitrary: fc.record({ entity, present: fc.boolean() }), weight: 1 },
      { arbitrary: fc.record({ entity, type: fc.nat(TYPES.length - 1) }), weight: 2 },
      { arbitrary: fc.record({ entity, description: fc.nat(DESCRIPTIONS.length - 1) }), weight: 2 },
      { arbitrary: fc.record({ entity, title: fc.constantFrom("t0", "t3", "t9", "zz") }), weight: 2 },
      { arbitrary: fc.record({ entity, tags: fc.nat(TAGS.length - 1) }), weight: 2 },
      { arbitrary: fc.record({ entity, owner: fc.constantFrom("team-a", "team-b") }), weight: 1 },
      { arbitrary: fc.record({ read: fc.nat(reads.length - 1), next: fc.boolean() }), weight: 3 },
      // Most reads repeat the run's own read, so that one is often cached across a few writes and judged.
      { arbitrary: fc.record({ focus: fc.constant(true), next: fc.boolean() }), weight: 7 },
    );
    const before = cacheStats.revalidatedByFeed;
    await fc.assert(
      fc.asyncProperty(fc.nat(reads.length - 1), fc.array(command, { minLength: 8, maxLength: 30, size: "max" }), async (focus, commands) => {
        for (const cmd of commands) {
          if ("read" in cmd || "focus" in cmd) {
            const path = reads["read" in cmd ? cmd.read : focus];
            const got = await read(path);
            expect(got.status).toBe(200);
            expect(got.text, path).toBe(await uncached(path));
            const next = JSON.parse(got.text).pageInfo?.nextCursor;
            if (cmd.next && next) {
              const nextPath = `/api/catalog/entities/by-query?cursor=${q(next)}&limit=2`;
              const page2 = await read(nextPath);
              expect(page2.text, nextPath).toBe(await uncached(nextPath));
            }
            continue;
          }
          const { entity: i, ...change } = cmd;
          Object.assign(state[i], change);
          await write();
        }
      }),
      { numRuns: 40, seed: 2021 },
    );
    expect(cacheStats.revalidatedByFeed).toBeGreaterThan(before);
  });
});
