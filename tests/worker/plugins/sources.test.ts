/**
 * Plugin sources against the fake GitHub (through the deployment's GitHub client and outbound policy):
 * files as bytes by blob URL, trees by tree URL (paths relative to the folder), the last commit of a file
 * or folder; URLs of other hosts, other forms or unsafe segments refused with a 400 before any call,
 * missing files a 404, oversize files a 413. The plugin never sees the deployment's token.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { ApiError } from "../../../worker/errors";
import { createPluginSources, MAX_SOURCE_FILE_BYTES, parseSourceUrl } from "../../../worker/plugins/context/sources";
import type { FakeGithub } from "../../fake-github/app.mjs";
import type { FakeRepo } from "../../fake-github/model.mjs";
import { createRepo, installFakeGithub } from "../ingestion/github-helpers";

let fake: FakeGithub;
let repo: FakeRepo;
const TOKEN = "ghp_deployment_token_never_shown";
const sources = () => createPluginSources({ ...env, GITHUB_TOKEN: TOKEN } as Env, "docs-reader");
const web = (path: string) => `https://github.com/${repo.owner}/${repo.name}/${path}`;

async function rejects(p: Promise<unknown>, name: string, message?: RegExp) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).name).toBe(name);
  if (message) expect((err as ApiError).message).toMatch(message);
}

beforeAll(async () => {
  fake = installFakeGithub();
  repo = await createRepo(fake, { "catalog-info.yaml": "x: 1\n", "docs/index.md": "# Hello\n", "docs/guide/setup.md": "Setup\n", "mkdocs.yml": "site_name: x\n" });
  await fake.model.commit(`${repo.owner}/${repo.name}`, { files: { "docs/guide/setup.md": "Setup, again\n" }, author: { name: "Jane Doe", email: "jane@example.com", login: "jane" }, message: "update setup" });
});

describe("plugin sources", () => {
  it("reads a file's bytes by its blob URL", async () => {
    const bytes = await sources().readFile(web("blob/main/docs/index.md"));
    expect(new TextDecoder().decode(bytes)).toBe("# Hello\n");
    expect(new TextDecoder().decode(await sources().readFile(web("blob/main/docs/guide/setup.md")))).toBe("Setup, again\n");
  });

  it("lists a folder's files with paths relative to it, blob URLs, shas and sizes", async () => {
    const files = await sources().listTree(web("tree/main/docs"));
    expect(files.map((f) => f.path).sort()).toEqual(["guide/setup.md", "index.md"]);
    const setup = files.find((f) => f.path === "guide/setup.md")!;
    expect(setup).toMatchObject({ url: web("blob/main/docs/guide/setup.md"), sha: expect.stringMatching(/^[0-9a-f]{40}$/), size: 13 });
    expect((await sources().listTree(web("tree/main"))).map((f) => f.path).sort()).toEqual(["catalog-info.yaml", "docs/guide/setup.md", "docs/index.md", "mkdocs.yml"]);
    expect((await sources().listTree(web("tree/main/docs/"))).length).toBe(2);
  });

  it("tells the last commit that touched a file or folder", async () => {
    const setup = await sources().lastCommit(web("blob/main/docs/guide/setup.md"));
    expect(setup).toMatchObject({ sha: expect.stringMatching(/^[0-9a-f]{40}$/), author: "Jane Doe", date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const index = await sources().lastCommit(web("blob/main/docs/index.md"));
    expect(index!.sha).not.toBe(setup!.sha);
    expect((await sources().lastCommit(web("tree/main/docs")))!.sha).toBe(setup!.sha);
    expect(await sources().lastCommit(web("blob/main/never.md"))).toBeNull();
  });

  it("resolves a branch to the commit it names now", async () => {
    const head = (await sources().lastCommit(web("tree/main")))!.sha;
    expect(await sources().resolveCommit(web("tree/main/docs"))).toBe(head);
    expect(await sources().resolveCommit(web("blob/main/docs/index.md"))).toBe(head);
    expect(await sources().resolveCommit(web(`tree/${head}`))).toBe(head);
    await rejects(sources().resolveCommit("https://evil.example/acme/x/tree/main"), "InputError");
  });

  it("answers a missing file or repository with a 404", async () => {
    await rejects(sources().readFile(web("blob/main/nope.md")), "NotFoundError");
    await rejects(sources().listTree("https://github.com/acme/no-such-repo/tree/main/docs"), "NotFoundError");
  });

  it("refuses URLs that are not blob/tree URLs of the configured host, before calling GitHub", async () => {
    const before = fake.requests.length;
    const bad = [
      "https://evil.example/acme/x/blob/main/a.md",
      "http://github.com/acme/x/blob/main/a.md",
      "https://user:pw@github.com/acme/x/blob/main/a.md",
      "https://raw.githubusercontent.com/acme/x/main/a.md",
      "https://github.com/acme/x/raw/main/a.md",
      "https://github.com/acme/x/tree/main/docs",
      "https://github.com/acme/x/blob/main",
      "https://github.com/acme/x/blob/main/%2e%2e/%2e%2e/secrets",
      "https://github.com/acme/x/blob/main/a%2Fb/../c",
      "https://github.com/acme/x/blob/ma..in/a.md",
      "https://github.com/acme/x/blob/main/a.md?ref=other",
      "https://github.com/-bad/x/blob/main/a.md",
      "not a url",
      `https://github.com/acme/x/blob/main/${"a".repeat(2100)}`,
    ];
    for (const url of bad) await rejects(sources().readFile(url), "InputError");
    await rejects(sources().readFile(42 as unknown as string), "InputError");
    await rejects(sources().listTree("https://github.com/acme/x/blob/main/docs"), "InputError");
    expect(fake.requests.length).toBe(before);
  });

  it("caps file sizes with a 413", async () => {
    const big = await createRepo(fake, { "big.bin": "x".repeat(MAX_SOURCE_FILE_BYTES + 1) });
    await rejects(sources().readFile(`https://github.com/${big.owner}/${big.name}/blob/main/big.bin`), "PayloadTooLargeError");
  });

  it("never hands the deployment's token to the plugin", async () => {
    const s = sources() as unknown as Record<string, unknown>;
    expect(JSON.stringify(s)).not.toContain(TOKEN);
    expect(Object.keys(s).sort()).toEqual(["lastCommit", "listTree", "readFile", "resolveCommit"]);
  });

  it("parses blob and tree URLs segment by segment", () => {
    expect(parseSourceUrl("https://github.com", "https://github.com/o/r/blob/v1.2/docs/a%20b.md", "blob")).toEqual({ form: "blob", owner: "o", name: "r", ref: "v1.2", path: "docs/a b.md" });
    expect(parseSourceUrl("https://ghe.example.com", "https://ghe.example.com/o/r/tree/main", "tree")).toMatchObject({ path: "" });
    expect(() => parseSourceUrl("https://ghe.example.com", "https://github.com/o/r/tree/main", "tree")).toThrow(ApiError);
  });
});
