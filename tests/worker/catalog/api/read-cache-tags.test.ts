/**
 * Finer read-cache invalidation (issue 13): an answer that can only hold entities of known kinds is validated
 * against those kinds' tags, so a write elsewhere leaves it cached (asserted through x-catalog-cache), while
 * any write that could change it (including a relation or a processing error arriving from an entity of
 * another kind) is visible on the very next read. ETag / If-None-Match answers 304 while the answer stands.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { KIND_DEFINITIONS } from "../../../../worker/catalog/kinds";
import { api, component, ingest, uniq, yamlDocs } from "../../helpers";

async function read(path: string, init?: RequestInit) {
  const res = await api(path, init);
  return { cache: res.headers.get("x-catalog-cache"), etag: res.headers.get("etag"), status: res.status, text: res.status === 304 ? "" : await res.text() };
}

const group = (name: string, description = "a team") =>
  JSON.stringify({ apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name, description }, spec: { type: "team", children: [] } });
const byRefs = (refs: string[]) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ entityRefs: refs }) });
const q = (s: string) => encodeURIComponent(s);

describe("kind-scoped cache invalidation", () => {
  it("keeps component answers cached through a write to another kind, and drops them on a component write", async () => {
    const root = `/${uniq("tags")}`;
    const [a, b, team] = [uniq("a"), uniq("b"), uniq("team")];
    const file = `${root}/c.yaml`;
    await ingest(root, { [file]: yamlDocs(component(a, { type: "service" }), component(b, { type: "website" })) });
    const other = `/${uniq("other")}`;
    await ingest(other, { [`${other}/g.yaml`]: group(team) });

    const names = `kind=component,metadata.name=${a},metadata.name=${b}`;
    const reads: [string, RequestInit?][] = [
      [`/api/catalog/entities/by-query?filter=${q(names)}&limit=10`],
      [`/api/catalog/entities?filter=${q(names)}&limit=10`],
      [`/api/catalog/entity-facets?facet=spec.type&filter=kind=component`],
      ["/api/catalog/entities/by-refs", byRefs([`component:default/${a}`, `component:default/${b}`])],
    ];
    const first = [];
    for (const [path, init] of reads) {
      await read(path, init);
      const cached = await read(path, init);
      expect(cached.cache).toBe("hit");
      first.push(cached);
    }

    // A write to a Group (and its file's Location): every component answer is still a hit, byte for byte.
    await ingest(other, { [`${other}/g.yaml`]: group(team, "a renamed team") });
    for (const [i, [path, init]] of reads.entries()) {
      const after = await read(path, init);
      expect(after.cache, path).toBe("hit");
      expect(after.text).toBe(first[i].text);
      expect(after.etag).toBe(first[i].etag);
    }

    // A write to one of the components: every answer is read again and shows it.
    await ingest(root, { [file]: yamlDocs(component(a, { type: "library" }), component(b, { type: "website" })) });
    for (const [path, init] of reads) {
      const after = await read(path, init);
      expect(after.cache, path).toBe("miss");
      expect(after.text).toContain("library");
    }
  });

  it("answers If-None-Match with 304 while the answer stands, and with the new answer after a write", async () => {
    const root = `/${uniq("etag")}`;
    const a = uniq("a");
    const file = `${root}/c.yaml`;
    await ingest(root, { [file]: component(a) });
    const path = `/api/catalog/entities/by-query?filter=${q(`kind=component,metadata.name=${a}`)}`;
    const miss = await read(path);
    expect(miss.etag).toMatch(/^"c[0-9a-f]{16}"$/);
    // Before anything is cached for it, and once it is.
    const fresh = `/api/catalog/entities/by-query?filter=${q(`kind=component,metadata.name=${a}`)}&limit=5`;
    const freshMiss = await read(fresh);
    expect((await read(fresh, { headers: { "if-none-match": freshMiss.etag! } })).status).toBe(304);
    const notModified = await read(path, { headers: { "if-none-match": miss.etag! } });
    expect(notModified).toMatchObject({ status: 304, cache: "not-modified", etag: miss.etag });

    await ingest(root, { [file]: component(a, { lifecycle: "experimental" }) });
    const changed = await read(path, { headers: { "if-none-match": miss.etag! } });
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(miss.etag);
    expect(JSON.parse(changed.text).items[0].spec.lifecycle).toBe("experimental");
  });

  it("sees a relation that an entity of another kind adds (a Group page after a component names it owner)", async () => {
    const root = `/${uniq("rel")}`;
    const [team, a] = [uniq("team"), uniq("a")];
    await ingest(root, { [`${root}/g.yaml`]: group(team) });
    const path = `/api/catalog/entities/by-query?filter=${q(`kind=group,metadata.name=${team}`)}`;
    await read(path);
    expect((await read(path)).cache).toBe("hit");

    const other = `/${uniq("owner")}`;
    await ingest(other, { [`${other}/c.yaml`]: component(a, { owner: team }) });
    const after = JSON.parse((await read(path)).text);
    expect(after.items[0].relations).toContainEqual({ type: "ownerOf", targetRef: `component:default/${a}` });
  });

  it("sees a processing error on an entity on the next read of a page that holds it", async () => {
    const root = `/${uniq("err")}`;
    const a = uniq("a");
    const file = `${root}/c.yaml`;
    await ingest(root, { [file]: component(a) });
    const path = `/api/catalog/entities/by-query?filter=${q(`kind=component,metadata.name=${a}`)}`;
    await read(path);
    expect((await read(path)).cache).toBe("hit");
    await ingest(root, { [file]: component(a, { owner: 42 }) });
    const after = JSON.parse((await read(path)).text);
    expect(after.items[0].status.items[0].error.name).toBe("InputError");
  });

  it("shows a write on the very next read for every query kind", async () => {
    const root = `/${uniq("every")}`;
    const a = uniq("every-a");
    const file = `${root}/c.yaml`;
    const ref = `component:default/${a}`;
    const reads: [string, (text: string, round: number) => void, RequestInit?][] = [
      [`/api/catalog/entities/by-query?filter=${q(`kind=component,metadata.name=${a}`)}`, (t, r) => expect(JSON.parse(t).items[0].metadata.description).toBe(`round ${r}`)],
      [`/api/catalog/entities/by-query?filter=${q(`metadata.name=${a}`)}&limit=1`, (t, r) => expect(JSON.parse(t).items[0].metadata.description).toBe(`round ${r}`)],
      [`/api/catalog/entities/by-query?fullTextFilterTerm=${a}&fullTextFilterFields=metadata.name`, (t, r) => expect(JSON.parse(t).items[0].metadata.description).toBe(`round ${r}`)],
      [`/api/catalog/entities?filter=${q(`kind=component,metadata.name=${a}`)}&limit=5`, (t, r) => expect(JSON.parse(t)[0].metadata.description).toBe(`round ${r}`)],
      [`/api/catalog/entity-facets?facet=metadata.tags&filter=${q(`kind=component,metadata.name=${a}`)}`, (t, r) => expect(JSON.parse(t).facets["metadata.tags"]).toEqual([{ value: `tag-${r}`, count: 1 }])],
      [`/api/catalog/entity-facets?facet=metadata.tags&filter=kind=component`, (t, r) => expect(JSON.parse(t).facets["metadata.tags"]).toContainEqual({ value: `tag-${r}`, count: 1 })],
      ["/api/catalog/entities/by-refs", (t, r) => expect(JSON.parse(t).items[0].metadata.description).toBe(`round ${r}`), byRefs([ref])],
      [`/api/catalog/entities/by-name/component/default/${a}`, (t, r) => expect(JSON.parse(t).metadata.description).toBe(`round ${r}`)],
      [`/api/search?q=${a}`, (t) => expect(t).toContain(a)],
    ];
    for (let round = 0; round < 3; round++) {
      await ingest(root, { [file]: component(a, {}, { description: `round ${round}`, tags: [`tag-${round}`] }) });
      for (const [path, check, init] of reads) {
        const res = await read(path, init);
        expect(res.status, path).toBe(200);
        check(res.text, round);
        // And again, now that it may be cached.
        check((await read(path, init)).text, round);
      }
    }
  });

  it("re-reads only the entity a write changed: the rest of a page comes from the entity cache", async () => {
    const root = `/${uniq("ent")}`;
    const names = [uniq("e1"), uniq("e2"), uniq("e3")];
    const file = `${root}/c.yaml`;
    const docs = (changed: string) => yamlDocs(...names.map((n) => component(n, {}, { description: n === names[1] ? changed : "same" })));
    await ingest(root, { [file]: docs("before") });
    const page = `/api/catalog/entities/by-query?filter=${q(`kind=component,metadata.name=${names.join(",metadata.name=")}`)}&limit=10`;
    const refs = byRefs(names.map((n) => `component:default/${n}`));
    await api(page);
    await api("/api/catalog/entities/by-refs", refs);

    await ingest(root, { [file]: docs("after") });
    const res = await api(page);
    expect(res.headers.get("x-catalog-cache")).toBe("miss");
    expect(res.headers.get("x-entity-cache")).toBe("2/3");
    const body = await res.json<any>();
    expect(body.items.map((e: any) => e.metadata.description).sort()).toEqual(["after", "same", "same"]);
    const viaRefs = await api("/api/catalog/entities/by-refs", refs);
    expect(viaRefs.headers.get("x-entity-cache")).toBe("3/3"); // the page already read the changed one
    expect((await viaRefs.json<any>()).items[1].metadata.description).toBe("after");
  });

  it("keeps tags for the built-in kinds only, however many kinds pushed files declare (migration 0023)", async () => {
    const root = `/${uniq("kinds")}`;
    const foreign = Array.from({ length: 300 }, (_, i) => ({ apiVersion: "acme.io/v1", kind: `Widget${i}x${root.length}`, metadata: { name: `w${i}` }, spec: {} }));
    await ingest(root, { [`${root}/k.yaml`]: yamlDocs(...foreign) });
    const builtin = new Set(KIND_DEFINITIONS.map((k) => `kind:${k.kind.toLowerCase()}`));
    const { results } = await env.DB.prepare("SELECT tag FROM catalog_tags").all<{ tag: string }>();
    expect(results.filter((r) => !builtin.has(r.tag))).toEqual([]);
    // The triggers' kind list is the model's: each built-in kind gets its tag (drift would leave one untagged,
    // and its cached answers stale).
    for (const name of ["entities_tag_ai", "entities_tag_ad", "entities_tag_au"]) {
      const { sql } = (await env.DB.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").bind(name).first<{ sql: string }>())!;
      const listed = [...sql.matchAll(/IN \(([^)]*)\)/g)].map((m) => m[1].split(",").map((k) => k.trim().replace(/'/g, "")).sort());
      expect(listed.length).toBeGreaterThan(0);
      for (const kinds of listed) expect(kinds).toEqual([...builtin].map((t) => t.slice(5)).sort());
    }
  });

  it("shows a write to a kind without a tag on the very next read of an answer about that kind", async () => {
    const root = `/${uniq("widgets")}`;
    const kind = `Gadget${root.length}`;
    const widget = (name: string) => ({ apiVersion: "acme.io/v1", kind, metadata: { name }, spec: { size: name.length } });
    await ingest(root, { [`${root}/a.yaml`]: yamlDocs(widget("one")) });
    const page = `/api/catalog/entities/by-query?filter=${q(`kind=${kind.toLowerCase()}`)}&limit=10`;
    const facets = `/api/catalog/entity-facets?facet=metadata.name&filter=${q(`kind=${kind.toLowerCase()}`)}`;
    const refs = byRefs([`${kind.toLowerCase()}:default/one`, `${kind.toLowerCase()}:default/two`]);
    const reads: [string, RequestInit?][] = [[page], [facets], ["/api/catalog/entities/by-refs", refs]];
    for (const [path, init] of reads) {
      await read(path, init);
      expect((await read(path, init)).cache).toBe("hit");
    }
    await ingest(root, { [`${root}/a.yaml`]: yamlDocs(widget("one"), widget("two")) });
    for (const [path, init] of reads) {
      const after = await read(path, init);
      expect(after.cache).not.toBe("hit");
      expect(after.text).toContain('"two"');
    }
  });
});
