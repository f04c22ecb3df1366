/**
 * Revalidated answers (issue 13, read-cache.ts sameAnswerAs): when a write moves the tags of a cached page or
 * by-refs answer but none of its entities changed (same ids and revs, same total and cursors), the stored
 * answer is served again ("revalidated") instead of being rendered; when one did change, the answer is new.
 * The class test: under any interleaving of writes and reads (fast-check), every answer equals the one an
 * uncached worker gives.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { api, component, ingest, uniq, yamlDocs } from "../../helpers";
import { read, uncached } from "./cache-reads";

const q = (s: string) => encodeURIComponent(s);
const byRefs = (refs: string[]) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ entityRefs: refs }) });

describe("answers revalidated after a write elsewhere", () => {
  it("serves a page and a by-refs answer again when the write left their entities as they were", async () => {
    const root = `/${uniq("reval")}`;
    const [a, b, c] = [uniq("ra"), uniq("rb"), uniq("rc")];
    const [fileAB, fileC] = [`${root}/ab.yaml`, `${root}/c.yaml`];
    const ab = (descA: string) => yamlDocs(component(a, {}, { description: descA }), component(b, {}, { description: "b" }));
    await ingest(root, { [fileAB]: ab("a0"), [fileC]: component(c, {}, { description: "c0" }) });
    const reads: [string, RequestInit?][] = [
      [`/api/catalog/entities/by-query?filter=${q(`kind=component,metadata.name=${a},metadata.name=${b}`)}&limit=1`],
      [`/api/catalog/entities/by-query?filter=${q(`kind=component,metadata.name=${a},metadata.name=${b}`)}&limit=5&fields=metadata.name,metadata.description`],
      ["/api/catalog/entities/by-refs", byRefs([`component:default/${a}`, `component:default/nope`, `component:default/${b}`])],
    ];
    const first: string[] = [];
    for (const [path, init] of reads) {
      await read(path, init);
      const hit = await read(path, init);
      expect(hit.cache, path).toBe("hit");
      first.push(hit.text);
    }

    // Another component changes: the kind's tag moves, these answers' entities do not.
    await ingest(root, { [fileC]: component(c, {}, { description: "c1" }) }, { complete: false });
    for (const [i, [path, init]] of reads.entries()) {
      const again = await read(path, init);
      expect(again.cache, path).toBe("revalidated");
      expect(again.text).toBe(first[i]);
      expect((await read(path, init)).cache, path).toBe("hit");
    }

    // One of theirs changes: rendered anew, with the change.
    await ingest(root, { [fileAB]: ab("a1") }, { complete: false });
    for (const [path, init] of reads) {
      const after = await read(path, init);
      expect(after.cache, path).toBe("miss");
      expect(after.text).toContain("a1");
      expect(after.text).toBe(await uncached(path, init));
    }
  });

  it("answers 304 to a revalidated answer's new ETag", async () => {
    const root = `/${uniq("reval304")}`;
    const [a, c] = [uniq("sa"), uniq("sc")];
    await ingest(root, { [`${root}/a.yaml`]: component(a), [`${root}/c.yaml`]: component(c, {}, { description: "c0" }) });
    const path = `/api/catalog/entities/by-query?filter=${q(`kind=component,metadata.name=${a}`)}`;
    await api(path);
    await api(path);
    await ingest(root, { [`${root}/c.yaml`]: component(c, {}, { description: "c1" }) }, { complete: false });
    const revalidated = await api(path);
    expect(revalidated.headers.get("x-catalog-cache")).toBe("revalidated");
    const etag = revalidated.headers.get("etag")!;
    await revalidated.text();
    await ingest(root, { [`${root}/c.yaml`]: component(c, {}, { description: "c2" }) }, { complete: false });
    const res = await api(path, { headers: { "if-none-match": etag.replace(/^W\//, "") } });
    // The tags moved again, so the ETag is a new one: a 200 with the same body, then a 304 for that ETag.
    expect(res.status).toBe(200);
    const next = res.headers.get("etag")!;
    await res.text();
    expect((await api(path, { headers: { "if-none-match": next.replace(/^W\//, "") } })).status).toBe(304);
  });
});

describe("the read cache under interleaved writes and reads", () => {
  const names = Array.from({ length: 5 }, (_, i) => `mix-${i}`);
  const root = "/reval-mix";
  // Two files: a write rewrites one file's entities (both, or just the one it changes).
  const fileOf = (i: number) => `${root}/f${i % 2}.yaml`;
  const descriptions = names.map(() => "d0");
  const write = () =>
    ingest(root, Object.fromEntries([0, 1].map((f) => [`${root}/f${f}.yaml`, yamlDocs(...names.map((n, i) => (fileOf(i) === `${root}/f${f}.yaml` ? component(n, { type: i % 2 ? "service" : "website" }, { description: descriptions[i] }) : null)).filter((d): d is string => d !== null))])));
  const filter = `kind=component,${names.map((n) => `metadata.name=${n}`).join(",")}`;
  const reads: [string, RequestInit?][] = [
    [`/api/catalog/entities/by-query?filter=${q(filter)}&limit=2`],
    [`/api/catalog/entities/by-query?filter=${q(filter)}&limit=3&orderField=metadata.description,desc`],
    [`/api/catalog/entities/by-query?filter=${q(`${filter},spec.type=service`)}`],
    ["/api/catalog/entities/by-refs", byRefs(names.slice(0, 3).map((n) => `component:default/${n}`))],
    ["/api/catalog/entities/by-refs", byRefs([...names].reverse().map((n) => `component:default/${n}`))],
  ];

  beforeAll(async () => {
    await write();
  });

  it("always answers as an uncached worker does (fast-check)", async () => {
    const command = fc.oneof(
      fc.record({ write: fc.nat(names.length - 1), description: fc.constantFrom("d0", "d1", "d2", "zz") }),
      fc.record({ read: fc.nat(reads.length - 1) }),
    );
    let revalidated = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        for (const cmd of commands) {
          if ("write" in cmd) {
            descriptions[cmd.write] = cmd.description;
            await write();
            continue;
          }
          const [path, init] = reads[cmd.read];
          const got = await read(path, init);
          if (got.cache === "revalidated") revalidated++;
          expect(got.status).toBe(200);
          expect(got.text, path).toBe(await uncached(path, init));
        }
      }),
      { numRuns: 25, seed: 1913 },
    );
    // The property exercised the path it is about.
    expect(revalidated).toBeGreaterThan(0);
  });
});
