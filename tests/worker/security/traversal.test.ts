/**
 * Cross-repository reads: a fake GitHub holds a PRIVATE repo whose file must never be requested. Catalog
 * files of another repo try to reach it through placeholders and Location targets: the `%2F..` URL of the
 * original finding and generated variants (every encoding of separators and dot segments, every URL form),
 * from a push-ingested file and from a pull request check. The fake's request log must never show a path
 * of the private repo, and its content must appear nowhere. Reading another repository at all needs
 * GITHUB_READ_OTHER_REPOS (the tests allow `shared-org/*` and `acme/shared-config`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import fc from "fast-check";
import { getJson } from "../helpers";
import { createRepo, deliver, entity, installFakeGithub, push, quiesce, settled, yamlComponent } from "../ingestion/github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import { pullRequestPayload } from "../../fake-github/payloads.mjs";
import prTemplate from "../../fixtures/github/pull_request-opened.json";
import { readGithubConfig } from "../../../worker/github/config";
import { createGithubClient } from "../../../worker/github/client";
import { parseRepoUrl } from "../../../worker/github/keys";
import { readRepoFile } from "../../../worker/github/reader";
import { OutboundRefusedError } from "../../../worker/net/errors";

const SECRET = "PRIVATE-REPO-SECRET-7f3a";
const PRIVATE = "/repos/other-org/private-repo";
let fake: FakeGithub;

beforeAll(async () => {
  fake = installFakeGithub();
  privateId = (await fake.model.createRepo({ owner: "other-org", name: "private-repo", isPrivate: true, files: { "secret.yaml": `${SECRET}\n`, "catalog-info.yaml": yamlComponent("private-entity") } })).id;
  await fake.model.createRepo({ owner: "shared-org", name: "lib", files: { "catalog-info.yaml": yamlComponent("shared-lib") } });
});
afterAll(() => quiesce(fake));

let privateId = 0;
/** Requests since `from` that the API would route to the private repo (the fake logs paths as fetch normalised them). */
const touchedPrivate = (from: number) =>
  fake.requests.slice(from).filter((r) => {
    const path = r.path.toLowerCase().split("?")[0];
    return path === PRIVATE || path.startsWith(`${PRIVATE}/`) || path === `/repositories/${privateId}`;
  });

async function expectSecretNowhere(from: number) {
  expect(touchedPrivate(from)).toEqual([]);
  const errors = (await getJson("/api/catalog/processing-errors?limit=1000")).body;
  expect(JSON.stringify(errors)).not.toContain(SECRET);
  expect(JSON.stringify([fake.statuses, fake.checkRuns])).not.toContain(SECRET);
  expect((await entity("component", "private-entity")).status).toBe(404);
}

const apiDoc = (name: string, definition: unknown) =>
  JSON.stringify({ apiVersion: "backstage.io/v1alpha1", kind: "API", metadata: { name }, spec: { type: "openapi", lifecycle: "production", owner: "team-a", definition } });

/** The finding: a same-repo URL whose encoded `..` segments climb out into another repository's contents. */
const findingUrl = (owner: string, name: string) =>
  `https://github.com/${owner}/${name}/raw/main/x%2F..%2F..%2F..%2F..%2F..%2Frepos%2Fother-org%2Fprivate-repo%2Fcontents%2Fsecret.yaml`;

const SLASH = ["%2F", "%2f", "%252F", "%5C", "%5c", "%255C", "\\", "/"];
const DOTS = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%2e%2E"];

/** Variants: every spelling of "climb up, then into the private repo", in every GitHub URL form and as a relative path. */
function variant(owner: string, name: string) {
  return fc
    .tuple(fc.constantFrom(...SLASH), fc.constantFrom(...DOTS), fc.integer({ min: 3, max: 8 }), fc.constantFrom("raw", "blob", "tree", "edit", "raw-host", "relative"), fc.constantFrom("contents/secret.yaml", "blob/main/secret.yaml"))
    .map(([sep, dots, depth, form, tail]) => {
      const climb = Array.from({ length: depth }, () => dots).join(sep);
      const into = `${sep}${tail.startsWith("contents") ? "repos" + sep : ""}other-org${sep}private-repo${sep}${tail.split("/").join(sep)}`;
      const path = `x${sep}${climb}${into}`;
      if (form === "relative") return `./${path}`;
      if (form === "raw-host") return `https://raw.githubusercontent.com/${owner}/${name}/main/${path}`;
      return `https://github.com/${owner}/${name}/${form}/main/${path}`;
    });
}

describe("a push-ingested file", () => {
  it("cannot read the private repo through the finding's %2F.. placeholder or any generated variant", async () => {
    const from = fake.requests.length;
    const repo = await createRepo(fake, { "docs/openapi.yaml": "openapi: 3.0.0\n" });
    const urls = [findingUrl(repo.owner, repo.name), ...fc.sample(variant(repo.owner, repo.name), { numRuns: 120, seed: 8 })];
    const docs = urls.map((u, i) => apiDoc(`climb-${i}`, { [["$text", "$json", "$yaml"][i % 3]]: u }));
    docs.push(apiDoc("own-spec", { $text: "./docs/openapi.yaml" }));
    // Targets on the repo's own default branch (blob/tree/edit forms, all resolved to tree) are read by the
    // sync walk itself, which must turn readRepoFile's refusal into that file's processing error; the other
    // forms go through the reader.
    const targets = urls.filter((u) => !u.startsWith("./") && !/\/(blob|tree|edit)\/main\//.test(u));
    const location = JSON.stringify({ apiVersion: "backstage.io/v1alpha1", kind: "Location", metadata: { name: "climb-targets" }, spec: { targets } });
    const { status } = await push(fake, repo, { "catalog-info.yaml": [yamlComponent("climb-root"), location, ...docs].join("\n---\n") });
    expect(status.status).toBe("done");
    expect((await entity("component", "climb-root")).status).toBe(200);
    // Every placeholder was refused (none of them resolved to anything), and that is on record.
    for (let i = 0; i < urls.length; i++) expect((await entity("api", `climb-${i}`)).status).toBe(404);
    const errors = (await getJson(`/api/catalog/processing-errors?limit=1000`)).body.items.filter((e: { location: string }) => e.location.includes(repo.name));
    expect(errors.length).toBeGreaterThan(urls.length);
    // Its own files it still reads.
    expect((await entity("api", "own-spec")).body.spec.definition).toBe("openapi: 3.0.0\n");
    await expectSecretNowhere(from);
  });

  it("needs GITHUB_READ_OTHER_REPOS to follow a Location target into another repository", async () => {
    const from = fake.requests.length;
    const repo = await createRepo(fake, {
      "catalog-info.yaml": JSON.stringify({
        apiVersion: "backstage.io/v1alpha1",
        kind: "Location",
        metadata: { name: "cross-repo" },
        spec: { targets: ["https://github.com/other-org/private-repo/blob/main/catalog-info.yaml", "https://github.com/shared-org/lib/blob/main/catalog-info.yaml"] },
      }),
    });
    await push(fake, repo, { "README.md": "x" });
    expect((await entity("component", "shared-lib")).status).toBe(200);
    const key = "url:https://github.com/other-org/private-repo/tree/main/catalog-info.yaml";
    const errors = (await getJson(`/api/catalog/processing-errors?location=${encodeURIComponent(key)}`)).body.items;
    expect(errors[0].message).toContain("GITHUB_READ_OTHER_REPOS");
    await expectSecretNowhere(from);
  });
});

describe("a pull request check", () => {
  it("cannot read the private repo through placeholders of a changed file", async () => {
    const from = fake.requests.length;
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("pr-climb-base") });
    const urls = [findingUrl(repo.owner, repo.name), ...fc.sample(variant(repo.owner, repo.name), { numRuns: 40, seed: 9 })];
    const docs = urls.map((u, i) => apiDoc(`pr-climb-${i}`, { $text: u }));
    await fake.model.commit(`${repo.owner}/${repo.name}`, { branch: "climb", files: { "catalog-info.yaml": [yamlComponent("pr-climb-base"), ...docs].join("\n---\n") } });
    const pull = fake.model.openPull(`${repo.owner}/${repo.name}`, { head: "climb" });
    const delivered = await deliver("pull_request", pullRequestPayload(prTemplate, "opened", repo, pull));
    expect((await settled(delivered.id)).status).toBe("done");
    const status = fake.statuses.find((s) => s.sha === pull.headSha);
    expect(status?.body.state).toBe("failure");
    await expectSecretNowhere(from);
  });
});

describe("GitHub URL parsing and API paths", () => {
  const cfg = { webUrl: "https://github.com" };

  it("refuses dot segments, empty segments and encoded separators in a GitHub file URL", () => {
    const bad = [
      "https://github.com/o/r/blob/main/a/../../x",
      "https://github.com/o/r/blob/main/./x",
      "https://github.com/o/r/blob/main/a//x",
      "https://github.com/o/r/blob/main/a%2F..%2Fx",
      "https://github.com/o/r/blob/main/a%2f..%2fx",
      "https://github.com/o/r/blob/main/a%5C..%5Cx",
      "https://github.com/o/r/blob/main/a\\..\\x",
      "https://github.com/o/r/blob/main/a%00.yaml",
      "https://github.com/o/r/blob/main/%2e%2e/x",
      "https://github.com/o/r/blob/main/a%252F..%252Fx",
      "https://github.com/o/r/blob/main/a%E0%A4%A",
      "https://github.com/%2e%2e/r/blob/main/x",
      "https://github.com/o/../blob/main/x",
      "https://github.com/o/r/blob/ma..in/x",
      "https://raw.githubusercontent.com/o/r/main/a/%2e%2e/%2e%2e/x",
    ];
    for (const url of bad) expect(() => parseRepoUrl(cfg, url), url).toThrow(OutboundRefusedError);
    expect(parseRepoUrl(cfg, "https://github.com/o/r/blob/main/docs/my%20file.yaml")).toEqual({ owner: "o", name: "r", ref: "main", path: "docs/my file.yaml" });
    expect(parseRepoUrl(cfg, "https://raw.githubusercontent.com/o/r/main/a/b.yaml")).toEqual({ owner: "o", name: "r", ref: "main", path: "a/b.yaml" });
    expect(parseRepoUrl(cfg, "https://example.com/o/r/blob/main/x")).toBeNull();
  });

  it("builds the contents path from checked segments again, whatever the caller passed", async () => {
    const client = createGithubClient(readGithubConfig(env));
    const before = fake.requests.length;
    for (const [owner, name, path] of [
      ["acme", "svc", "a/../../../../other-org/private-repo/contents/secret.yaml"],
      ["acme", "svc", "./secret.yaml"],
      ["acme", "svc", "a//b"],
      ["acme", "svc", "a\\..\\b"],
      ["..", "other-org", "x"],
      ["acme", "..", "x"],
      ["acme/../other-org", "private-repo", "secret.yaml"],
    ]) {
      await expect(readRepoFile(client, owner, name, path, "main"), `${owner}/${name}/${path}`).rejects.toBeInstanceOf(OutboundRefusedError);
    }
    expect(fake.requests.length).toBe(before);
  });
});
