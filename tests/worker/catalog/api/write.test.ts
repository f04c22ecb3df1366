import { describe, expect, it } from "vitest";
import { component, getJson, ingest, postJson, uniq, yamlDocs } from "../../helpers";

const byName = (kind: string, name: string) => getJson(`/api/catalog/entities/by-name/${kind}/default/${name}`);

describe("writing a file", () => {
  it("reports added, unchanged, updated and removed entities per file", async () => {
    const root = `/${uniq("r")}`;
    const [a, b] = [uniq("a"), uniq("b")];
    const first = await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(a), component(b)) });
    expect(first.files[0]).toMatchObject({ added: [`component:default/${a}`, `component:default/${b}`], removed: [], rejected: [] });

    const again = await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(a), component(b)) });
    expect(again.summary).toMatchObject({ added: 0, updated: 0, unchanged: 2, removed: 0 });

    const changed = await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(a, { lifecycle: "deprecated" })) });
    expect(changed.files[0]).toMatchObject({ updated: [`component:default/${a}`], removed: [`component:default/${b}`] });
    expect((await byName("component", b)).status).toBe(404);
    expect((await byName("component", a)).body.spec.lifecycle).toBe("deprecated");
  });

  it("keeps the uid across updates and changes the etag", async () => {
    const root = `/${uniq("r")}`;
    const a = uniq("a");
    await ingest(root, { [`${root}/c.yaml`]: component(a) });
    const before = (await byName("component", a)).body.metadata;
    await ingest(root, { [`${root}/c.yaml`]: component(a, { lifecycle: "experimental" }) });
    const after = (await byName("component", a)).body.metadata;
    expect(after.uid).toBe(before.uid);
    expect(after.etag).not.toBe(before.etag);
  });

  it("removes the relations of entities that vanish from a file", async () => {
    const root = `/${uniq("r")}`;
    const [team, svc] = [uniq("team"), uniq("svc")];
    const group = JSON.stringify({ apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: team }, spec: { type: "team", children: [] } });
    await ingest(root, { [`${root}/g.yaml`]: group, [`${root}/c.yaml`]: component(svc, { owner: team }) });
    expect((await byName("group", team)).body.relations).toEqual([{ type: "ownerOf", targetRef: `component:default/${svc}` }]);
    await ingest(root, { [`${root}/g.yaml`]: group }, { complete: true });
    expect((await byName("group", team)).body.relations).toEqual([]);
    expect((await byName("component", svc)).status).toBe(404);
  });

  it("keeps the first location's entity when a second location emits the same ref", async () => {
    const [r1, r2, a] = [`/${uniq("first")}`, `/${uniq("second")}`, uniq("shared")];
    await ingest(r1, { [`${r1}/c.yaml`]: component(a, { lifecycle: "production" }) });
    const second = await ingest(r2, { [`${r2}/c.yaml`]: component(a, { lifecycle: "hijacked" }) });
    expect(second.files[0].rejected).toEqual([
      expect.objectContaining({ name: "ConflictError", docIndex: 0, message: expect.stringContaining(`file:${r1}/c.yaml`) }),
    ]);
    const entity = (await byName("component", a)).body;
    expect(entity.spec.lifecycle).toBe("production");
    expect(entity.metadata.annotations["backstage.io/managed-by-location"]).toBe(`file:${r1}/c.yaml`);
    const errors = await getJson(`/api/catalog/processing-errors?location=${encodeURIComponent(`file:${r2}/c.yaml`)}`);
    expect(errors.body.items[0]).toMatchObject({ name: "ConflictError", location: `file:${r2}/c.yaml` });
  });

  it("keeps the last good version when a document becomes invalid, and shows the error in status", async () => {
    const root = `/${uniq("r")}`;
    const [a, b] = [uniq("a"), uniq("b")];
    await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(a), component(b)) });
    const broken = yamlDocs(component(a, { owner: 42 }), component(b));
    const res = await ingest(root, { [`${root}/c.yaml`]: broken });
    expect(res.files[0].removed).toEqual([]);
    expect(res.files[0].rejected[0]).toMatchObject({ entityRef: `component:default/${a}`, docIndex: 0, field: expect.stringContaining("owner") });
    const kept = (await byName("component", a)).body;
    expect(kept.spec.owner).toBe("team-a");
    expect(kept.status.items[0]).toMatchObject({ type: "backstage.io/catalog-processing", level: "error" });
    // The next good push clears the error.
    await ingest(root, { [`${root}/c.yaml`]: yamlDocs(component(a), component(b)) });
    expect((await byName("component", a)).body.status).toBeUndefined();
  });

  it("keeps every entity of a file that is no longer valid YAML", async () => {
    const root = `/${uniq("r")}`;
    const a = uniq("a");
    await ingest(root, { [`${root}/c.yaml`]: component(a) });
    const res = await ingest(root, { [`${root}/c.yaml`]: "kind: [unclosed\n  metadata: {" });
    expect(res.files[0].removed).toEqual([]);
    expect(res.files[0].rejected[0]).toMatchObject({ docIndex: 0, entityRef: null, line: expect.any(Number) });
    expect((await byName("component", a)).status).toBe(200);
  });

  it("follows Location targets and removes files that are no longer listed", async () => {
    const root = `/${uniq("loc")}`;
    const [a, b] = [uniq("a"), uniq("b")];
    const location = (targets: string[]) =>
      JSON.stringify({ apiVersion: "backstage.io/v1alpha1", kind: "Location", metadata: { name: "root" + root.slice(1) }, spec: { targets } });
    const files = { [`${root}/all.yaml`]: location(["./a.yaml", "./b.yaml"]), [`${root}/a.yaml`]: component(a), [`${root}/b.yaml`]: component(b) };
    const res = await ingest(root, files, { roots: [`${root}/all.yaml`] });
    expect(res.summary.added).toBe(3);
    const ancestry = await getJson(`/api/catalog/entities/by-name/component/default/${a}/ancestry`);
    expect(ancestry.body.items.map((i: { entity: { kind: string } }) => i.entity.kind)).toEqual(["Component", "Location", "Location"]);
    const shrunk = await ingest(root, { ...files, [`${root}/all.yaml`]: location(["./a.yaml"]) }, { roots: [`${root}/all.yaml`] });
    expect(shrunk.summary.removed).toBe(1);
    expect((await byName("component", b)).status).toBe(404);
  });

  it("does not prune files that another request of the same split load covered", async () => {
    const root = `/${uniq("split")}`;
    const [a, b] = [uniq("a"), uniq("b")];
    await ingest(root, { [`${root}/a.yaml`]: component(a) }, { complete: false });
    const last = await postJson("/api/catalog/ingest", {
      location: { type: "file", target: root },
      files: [{ target: `${root}/b.yaml`, content: component(b) }],
      roots: [`${root}/b.yaml`],
      complete: true,
      keep: [`${root}/a.yaml`, `${root}/b.yaml`],
    });
    expect(last.body.summary).toMatchObject({ added: 1, removed: 0 });
    expect((await byName("component", a)).status).toBe(200);
  });

  it("applies the files of one request as if one after another, though they share a D1 batch", async () => {
    const root = `/${uniq("r")}`;
    const [x, y] = [uniq("x"), uniq("y")];
    const [first, second, third] = ["1-first.yaml", "2-second.yaml", "3-third.yaml"].map((f) => `${root}/${f}`);
    await ingest(root, { [second]: yamlDocs(component(x), component(y)) });
    const uidOfX = (await byName("component", x)).body.metadata.uid;
    // In order: `first` claims y while `second` still provides it (a conflict); `second` then drops x and y,
    // and `third`, after it, picks x up as a new entity.
    const moved = await ingest(root, { [first]: component(y), [second]: component(uniq("z")), [third]: component(x, { lifecycle: "moved" }) });
    expect(moved.files.map((f) => f.location)).toEqual([`file:${first}`, `file:${second}`, `file:${third}`]);
    expect(moved.files[0].rejected).toEqual([expect.objectContaining({ name: "ConflictError", message: expect.stringContaining(`file:${second}`) })]);
    expect(moved.files[1].removed.sort()).toEqual([`component:default/${x}`, `component:default/${y}`].sort());
    expect(moved.files[2].added).toEqual([`component:default/${x}`]);
    const movedX = (await byName("component", x)).body;
    expect(movedX.spec.lifecycle).toBe("moved");
    expect(movedX.metadata.uid).not.toBe(uidOfX);
    expect(movedX.metadata.annotations["backstage.io/managed-by-location"]).toBe(`file:${third}`);
    expect((await byName("component", y)).status).toBe(404);
  });

  it("writes a request with more files than fit one batch", async () => {
    const root = `/${uniq("r")}`;
    const names = Array.from({ length: 45 }, () => uniq("n"));
    const files = Object.fromEntries(names.map((n, i) => [`${root}/f${String(i).padStart(2, "0")}.yaml`, component(n)]));
    const res = await ingest(root, files);
    expect(res.summary).toMatchObject({ added: 45, rejected: 0 });
    const filters = names.map((n) => `filter=${encodeURIComponent(`metadata.name=${n}`)}`).join("&");
    const { body } = await getJson(`/api/catalog/entities/by-query?${filters}&limit=1`);
    expect(body.totalItems).toBe(45);
  });

  it("records a change log with field diffs", async () => {
    const root = `/${uniq("r")}`;
    const a = uniq("a");
    await ingest(root, { [`${root}/c.yaml`]: component(a) });
    await ingest(root, { [`${root}/c.yaml`]: component(a, { lifecycle: "deprecated" }) });
    await ingest(root, { [`${root}/other.yaml`]: component(uniq("x")) });
    const { body } = await getJson(`/api/catalog/changes?entityRef=component:default/${a}`);
    expect(body.items.map((i: { action: string }) => i.action)).toEqual(["removed", "updated", "added"]);
    expect(body.items[1].diff).toEqual([{ path: "spec.lifecycle", before: "production", after: "deprecated" }]);
    const byOwner = await getJson(`/api/catalog/changes?owner=group:default/team-a&limit=1`);
    expect(byOwner.body.items).toHaveLength(1);
    expect(byOwner.body.pageInfo.nextCursor).toBeTruthy();
  });

  it("rejects malformed ingest requests with a 400", async () => {
    expect((await postJson("/api/catalog/ingest", { location: { type: "ftp", target: "x" }, files: [] })).status).toBe(400);
    expect((await postJson("/api/catalog/ingest", { location: { type: "file", target: "/x" }, files: [{ target: 1 }] })).status).toBe(400);
    expect((await postJson("/api/catalog/ingest", { location: { type: "file", target: "/x" }, files: [], roots: ["/nope"] })).status).toBe(400);
    expect((await postJson("/api/catalog/ingest", { location: { type: "file", target: "/x" }, files: [] }, {}, "anonymous")).status).toBe(401);
  });
});
