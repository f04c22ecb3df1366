/**
 * Encodings in a GitHub repo: a file starting with a byte-order mark and a file with CRLF line ends index;
 * a file that is not UTF-8 and a file over 4 MB are processing errors on those files only, every other file
 * of the repo indexes, and later pushes still index the repo (one bad file never wedges it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson } from "../helpers";
import { createRepo, deliver, entity, installFakeGithub, push, pushBody, quiesce, settled, yamlComponent } from "../ingestion/github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

const enc = new TextEncoder();
const errorsAt = async (key: string) => (await getJson(`/api/catalog/processing-errors?location=${encodeURIComponent(key)}`)).body.items as { name: string; message: string }[];

describe("file encodings", () => {
  it("indexes BOM and CRLF files, and keeps a non-UTF-8 or oversize file to itself", async () => {
    // "café" in Latin-1: a lone 0xE9 byte is not UTF-8.
    const latin1 = new Uint8Array([...enc.encode(yamlComponent("enc-latin1").replace("  type: service", "  type: caf")), 0xe9, 0x0a]);
    const files = {
      "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: enc-root\nspec:\n  targets: [./nested-bom.yaml]\n",
      "nested-bom.yaml": `\uFEFF${yamlComponent("enc-nested-bom")}`,
      "bom/catalog-info.yaml": `\uFEFF${yamlComponent("enc-bom")}`,
      "crlf/catalog-info.yaml": yamlComponent("enc-crlf", { description: "windows" }).replace(/\n/g, "\r\n"),
      "latin1/catalog-info.yaml": latin1,
      "big/catalog-info.yaml": `${yamlComponent("enc-big")}# ${"x".repeat(4 * 1024 * 1024 + 16)}\n`,
      "plain/catalog-info.yaml": yamlComponent("enc-plain"),
    };
    const repo = await createRepo(fake, { "README.md": "encodings\n" });
    const commit = await fake.model.commit(`${repo.owner}/${repo.name}`, { files });
    expect((await settled((await deliver("push", pushBody(repo, [commit]))).id)).status).toBe("done");

    for (const name of ["enc-bom", "enc-nested-bom", "enc-crlf", "enc-plain"]) expect((await entity("component", name)).status, name).toBe(200);
    expect((await entity("component", "enc-crlf")).body.metadata.description).toBe("windows");
    expect((await entity("location", "enc-root")).status).toBe(200);
    for (const name of ["enc-latin1", "enc-big"]) expect((await entity("component", name)).status, name).toBe(404);

    const key = (path: string, form = "blob") => `url:https://github.com/${repo.owner}/${repo.name}/${form}/main/${path}`;
    expect(await errorsAt(key("latin1/catalog-info.yaml"))).toEqual([expect.objectContaining({ name: "ReadError", message: expect.stringContaining("not valid UTF-8") })]);
    expect(await errorsAt(key("big/catalog-info.yaml"))).toEqual([expect.objectContaining({ name: "ReadError", message: expect.stringContaining("larger than 4 MB") })]);
    for (const path of ["catalog-info.yaml", "bom/catalog-info.yaml", "crlf/catalog-info.yaml", "plain/catalog-info.yaml"]) expect(await errorsAt(key(path)), path).toEqual([]);
    expect(await errorsAt(key("nested-bom.yaml", "tree"))).toEqual([]);

    // Not wedged: the next pushes index, and fixing a bad file clears its error.
    const second = await push(fake, repo, { "plain/catalog-info.yaml": yamlComponent("enc-plain", { description: "again" }) });
    expect(second.status.status).toBe("done");
    expect((await entity("component", "enc-plain")).body.metadata.description).toBe("again");
    await push(fake, repo, { "latin1/catalog-info.yaml": yamlComponent("enc-latin1") });
    expect((await entity("component", "enc-latin1")).status).toBe(200);
    expect(await errorsAt(key("latin1/catalog-info.yaml"))).toEqual([]);
    expect(await errorsAt(key("big/catalog-info.yaml"))).toHaveLength(1);
  });
});
