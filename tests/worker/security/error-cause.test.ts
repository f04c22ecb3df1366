/**
 * An unreadable Location target's error points at its cause: it names the Location entity, the file that
 * entity was read from and the resolved target, and it is served with that Location entity (the entity-info
 * the portal's entity page reads, and the entity's status), whichever path read the tree.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, ingest, postJson } from "../helpers";
import { createRepo, entity, installFakeGithub, push, quiesce } from "../ingestion/github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import { HOST, installCatalogHost, runJob, type CatalogHost } from "./fault-host";

let host: CatalogHost;
let fake: FakeGithub;
beforeAll(() => {
  host = installCatalogHost();
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

const location = (name: string, spec: string) => `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

/** What the entity page shows for a Location: entity-info's errors and the entity's status. */
async function shownOn(name: string) {
  const info = await getJson(`/api/catalog/entity-info/location/default/${name}`);
  expect(info.status).toBe(200);
  const served = await entity("location", name);
  return { errors: info.body.errors as Record<string, unknown>[], status: (served.body.status?.items ?? []) as { message: string }[] };
}

function expectCause(shown: Awaited<ReturnType<typeof shownOn>>, c: { ref: string; file: string; target: string; name: string }) {
  const error = shown.errors.find((e) => e.location === c.target);
  expect(error, JSON.stringify(shown.errors)).toMatchObject({ entityRef: c.ref, name: c.name });
  for (const part of [c.ref, c.file, c.target]) expect(error!.message).toContain(part);
  expect(shown.status.some((s) => s.message.includes(c.target))).toBe(true);
}

describe("errors that point at their cause", () => {
  it("a url Location's target that answers 502", async () => {
    host.files.set("/cause/root.yaml", location("cause-url", "  targets: [./apis.yaml]\n"));
    host.faults.set("/cause/apis.yaml", "502");
    const target = `${HOST}/cause/root.yaml`;
    expect((await postJson("/api/catalog/locations", { type: "url", target })).status).toBe(201);
    expect(await runJob({ type: "refresh-location", locationKey: `url:${target}` })).toBe(true);
    expectCause(await shownOn("cause-url"), { ref: "location:default/cause-url", file: `url:${target}`, target: `url:${HOST}/cause/apis.yaml`, name: "ReadError" });
    const byRef = await getJson("/api/catalog/processing-errors?entityRef=location:default/cause-url");
    expect(byRef.body.items).toEqual([expect.objectContaining({ location: `url:${HOST}/cause/apis.yaml`, entityRef: "location:default/cause-url" })]);

    // Once the target reads, the error is gone from the Location too.
    host.faults.delete("/cause/apis.yaml");
    host.files.set("/cause/apis.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: cause-api\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n");
    expect(await runJob({ type: "refresh-location", locationKey: `url:${target}` })).toBe(true);
    expect((await shownOn("cause-url")).errors).toEqual([]);
    expect((await entity("location", "cause-url")).body.status).toBeUndefined();
  });

  it("a Location in a pushed file whose url target cannot be read there", async () => {
    await ingest("/cause-files", { "/cause-files/catalog-info.yaml": location("cause-file", "  type: url\n  target: ./apis.yaml\n") });
    expectCause(await shownOn("cause-file"), { ref: "location:default/cause-file", file: "file:/cause-files/catalog-info.yaml", target: "url:./apis.yaml", name: "NotFoundError" });
  });

  it("a GitHub Location's target missing from the repo", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": location("cause-gh", "  targets: [./team/missing.yaml]\n") });
    await push(fake, repo, { "README.md": "index\n" });
    const base = `https://github.com/${repo.owner}/${repo.name}`;
    expectCause(await shownOn("cause-gh"), {
      ref: "location:default/cause-gh",
      file: `url:${base}/blob/main/catalog-info.yaml`,
      target: `url:${base}/tree/main/team/missing.yaml`,
      name: "NotFoundError",
    });
  });
});
