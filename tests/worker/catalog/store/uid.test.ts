/**
 * Entity uids are UUIDv7 (RFC 9562): time-ordered, so a batch's new uids go to the end of the uid index and of
 * the metadata.uid rows of the search value index instead of a random page of each. A uid never changes once
 * given, and stays unique.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { component, getJson, ingest, uniq, yamlDocs } from "../../helpers";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function uidsInIdOrder(prefix: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT uid FROM entities WHERE ref LIKE ? ORDER BY id").bind(`component:default/${prefix}%`).all<{ uid: string }>();
  return results.map((r) => r.uid);
}

describe("entity uids", () => {
  it("are UUIDv7, ordered as the rows were created, across files and batches", async () => {
    const p = uniq("uid");
    const names = Array.from({ length: 60 }, (_, i) => `${p}-${String(i).padStart(2, "0")}`);
    await ingest(`/${p}`, { [`/${p}/a.yaml`]: yamlDocs(...names.slice(0, 30).map((n) => component(n))) });
    await ingest(`/${p}/b`, { [`/${p}/b/b.yaml`]: yamlDocs(...names.slice(30).map((n) => component(n))) });
    const uids = await uidsInIdOrder(p);
    expect(uids).toHaveLength(60);
    for (const uid of uids) expect(uid).toMatch(V7);
    expect(new Set(uids).size).toBe(60);
    expect([...uids].sort()).toEqual(uids);
  });

  it("keeps an entity's uid when it is rewritten, and serves it and filters by it as Backstage does", async () => {
    const p = uniq("uid-keep");
    const file = `/${p}/c.yaml`;
    await ingest(`/${p}`, { [file]: component(`${p}-x`, {}, { description: "one" }) });
    const first = (await getJson(`/api/catalog/entities/by-name/component/default/${p}-x`)).body.metadata.uid;
    await ingest(`/${p}`, { [file]: component(`${p}-x`, {}, { description: "two" }) });
    const again = await getJson(`/api/catalog/entities/by-name/component/default/${p}-x`);
    expect(again.body.metadata).toMatchObject({ uid: first, description: "two" });
    expect((await getJson(`/api/catalog/entities/by-uid/${first}`)).body.metadata.name).toBe(`${p}-x`);
    const byFilter = await getJson(`/api/catalog/entities/by-query?filter=metadata.uid=${first.toUpperCase()}`);
    expect(byFilter.body.items.map((e: { metadata: { name: string } }) => e.metadata.name)).toEqual([`${p}-x`]);
  });
});
