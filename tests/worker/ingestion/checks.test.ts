/**
 * GitHub App authentication and reporting: installation tokens minted from an RS256 JWT and cached until
 * expiry; pull request validation as a check run with file/line annotations (App) or a commit status (token).
 */
import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGithubConfig } from "../../../worker/github/config";
import { createGithubClient } from "../../../worker/github/client";
import { getRepoByName } from "../../../worker/github/api";
import { handlePullRequest, reportResult } from "../../../worker/ingestion/checks";
import { createRepo, installFakeGithub, yamlComponent, quiesce } from "./github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import type { FakeRepo } from "../../fake-github/model.mjs";

const APP_ID = "4242";
const TOKEN = "ghp_test_token";
let fake: FakeGithub;
let pkcs8Pem: string;
let pkcs1Pem: string;

const pem = (label: string, der: Uint8Array) => `-----BEGIN ${label}-----\n${(btoa(String.fromCharCode(...der)).match(/.{1,64}/g) ?? []).join("\n")}\n-----END ${label}-----\n`;

beforeAll(async () => {
  const keys = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const der = new Uint8Array((await crypto.subtle.exportKey("pkcs8", keys.privateKey)) as ArrayBuffer);
  pkcs8Pem = pem("PRIVATE KEY", der);
  // PrivateKeyInfo of a 2048-bit key: 26 header bytes, then the OCTET STRING holding the PKCS#1 key GitHub hands out.
  expect(der[22]).toBe(0x04);
  pkcs1Pem = pem("RSA PRIVATE KEY", der.slice(26));
  const publicKeyJwk = (await crypto.subtle.exportKey("jwk", keys.publicKey)) as JsonWebKey;
  // Tokens live 61 s; the client keeps them until a minute before expiry, i.e. for one second.
  fake = installFakeGithub({ app: { id: APP_ID, publicKeyJwk }, token: TOKEN, tokenTtlMs: 61_000 });
});
afterAll(() => quiesce(fake));

const appEnv = (key = pkcs1Pem) => ({ ...env, GITHUB_APP_ID: APP_ID, GITHUB_APP_PRIVATE_KEY: key.replace(/\n/g, "\\n"), GITHUB_TOKEN: "" });
const tokenEnv = () => ({ ...env, GITHUB_APP_ID: "", GITHUB_APP_PRIVATE_KEY: "", GITHUB_TOKEN: TOKEN });

async function pullRequest(repo: FakeRepo, files: Record<string, string>) {
  await fake.model.commit(`${repo.owner}/${repo.name}`, { branch: "change", files });
  const pull = fake.model.openPull(`${repo.owner}/${repo.name}`, { head: "change" });
  const job = {
    type: "github-pr-check" as const,
    repo: { id: repo.id, owner: repo.owner, name: repo.name, defaultBranch: repo.defaultBranch, installationId: repo.installationId },
    number: pull.number,
    headSha: pull.headSha,
    head: { owner: repo.owner, name: repo.name },
  };
  return { pull, job };
}

describe("GitHub App authentication", () => {
  it("signs a JWT with a PKCS#1 or PKCS#8 key and caches the installation token until it expires", async () => {
    const repo = await createRepo(fake, { "README.md": "x" }, { owner: "app-org" });
    const installation = fake.model.createInstallation("app-org", [`${repo.owner}/${repo.name}`]);
    for (const key of [pkcs1Pem, pkcs8Pem]) {
      const client = createGithubClient(readGithubConfig(appEnv(key)), installation);
      const issued = fake.tokensIssued;
      expect(await getRepoByName(client, repo.owner, repo.name)).toMatchObject({ id: repo.id, defaultBranch: "main" });
      expect(await getRepoByName(client, repo.owner, repo.name)).not.toBeNull();
      expect(fake.tokensIssued).toBeLessThanOrEqual(issued + 1);
      await new Promise((r) => setTimeout(r, 1100));
      await getRepoByName(client, repo.owner, repo.name);
      expect(fake.tokensIssued).toBe(issued + (key === pkcs1Pem ? 2 : 1));
    }
  });

  it("refuses a client whose credentials GitHub rejects (no retry can fix that)", async () => {
    const client = createGithubClient(readGithubConfig({ ...env, GITHUB_TOKEN: "wrong", GITHUB_APP_ID: "", GITHUB_APP_PRIVATE_KEY: "" }));
    await expect(getRepoByName(client, "app-org", "x")).rejects.toMatchObject({ name: "GithubApiError", status: 401 });
  });
});

describe("pull request validation", () => {
  it("reports broken YAML and invalid entities as a failing check run with each error's file and line", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("pr-base") }, { owner: "app-org" });
    fake.model.createInstallation("app-org-2", []);
    const installation = fake.model.createInstallation("app-org-3", [`${repo.owner}/${repo.name}`]);
    expect(repo.installationId).toBe(installation);
    const { job, pull } = await pullRequest(repo, {
      "catalog-info.yaml": `${yamlComponent("pr-base")}---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: pr-invalid\nspec:\n  lifecycle: production\n`,
      "svc/catalog-info.yaml": `${yamlComponent("pr-svc")}  tags: [unclosed\n`,
      "src/app.ts": "ignored",
    });
    await handlePullRequest(appEnv(), job);
    const run = fake.checkRuns.at(-1)!;
    expect(run.repo).toBe(`${repo.owner}/${repo.name}`);
    expect(run.body).toMatchObject({ name: "Edgestage catalog", head_sha: pull.headSha, status: "completed", conclusion: "failure" });
    expect(run.body.output.title).toBe(`${run.body.output.annotations.length} catalog errors in pull request #${pull.number}`);
    const byPath = Object.fromEntries(run.body.output.annotations.map((a: { path: string }) => [a.path, a]));
    // The second document starts at its `---` on line 10.
    expect(byPath["catalog-info.yaml"]).toMatchObject({ annotation_level: "failure", start_line: 10, message: expect.stringContaining("missingProperty") });
    expect(byPath["svc/catalog-info.yaml"]).toMatchObject({ annotation_level: "failure", title: "InputError" });
    expect(byPath["svc/catalog-info.yaml"].start_line).toBeGreaterThan(1);
  });

  it("passes a pull request whose catalog files are valid", async () => {
    const repo = await createRepo(fake, {}, { owner: "app-org" });
    fake.model.createInstallation("app-org-4", [`${repo.owner}/${repo.name}`]);
    const { job, pull } = await pullRequest(repo, { "catalog-info.yaml": yamlComponent("pr-valid") });
    await handlePullRequest(appEnv(), job);
    expect(fake.checkRuns.at(-1)!.body).toMatchObject({ head_sha: pull.headSha, conclusion: "success", output: { title: "1 catalog file in pull request #1 processed without errors" } });
  });

  it("sets a commit status instead when only a token is configured", async () => {
    const repo = await createRepo(fake, {}, { owner: "token-org" });
    const { job, pull } = await pullRequest(repo, { "catalog-info.yaml": "kind: [\n" });
    await handlePullRequest(tokenEnv(), job);
    const status = fake.statuses.at(-1)!;
    expect(status).toMatchObject({ repo: `${repo.owner}/${repo.name}`, sha: pull.headSha, body: { state: "failure", context: "edgestage/catalog" } });
    expect(status.body.description).toMatch(/^1 catalog error in pull request #1: catalog-info\.yaml:2 YAML error/);
    expect(status.body.description.length).toBeLessThanOrEqual(140);
  });

  it("keeps a status description within GitHub's 140 characters", async () => {
    const repo = await createRepo(fake, {}, { owner: "token-org" });
    const client = createGithubClient(readGithubConfig(tokenEnv()));
    const sha = repo.branches.get("main")!;
    await reportResult(client, repo, sha, { problems: [{ path: "a.yaml", line: 3, name: "InputError", message: "x".repeat(500) }], total: 1, files: 1, what: "push" });
    expect(fake.statuses.at(-1)!.body.description).toHaveLength(140);
  });
});
