/**
 * Installation events with a GitHub App are confirmed through the App: an uninstall goes ahead only when
 * GET /app/installations/{id} is a 404 (or the installation is suspended), a "repositories removed" only
 * for repos the installation no longer lists. The jobs a delivery queues are run against an env that
 * carries the App's credentials (the test worker itself has none).
 */
import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleSync } from "../../../worker/ingestion/backfill";
import { handleInstallation } from "../../../worker/ingestion/repository";
import { createRepo, entity, installFakeGithub, quiesce, yamlComponent } from "../ingestion/github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import type { FakeRepo } from "../../fake-github/model.mjs";

const APP_ID = "5151";
let fake: FakeGithub;
let appEnv: Env;

const pem = (der: Uint8Array) => `-----BEGIN PRIVATE KEY-----\n${(btoa(String.fromCharCode(...der)).match(/.{1,64}/g) ?? []).join("\n")}\n-----END PRIVATE KEY-----\n`;

beforeAll(async () => {
  const keys = (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const der = new Uint8Array((await crypto.subtle.exportKey("pkcs8", keys.privateKey)) as ArrayBuffer);
  const publicKeyJwk = (await crypto.subtle.exportKey("jwk", keys.publicKey)) as JsonWebKey;
  fake = installFakeGithub({ app: { id: APP_ID, publicKeyJwk } });
  appEnv = { ...env, GITHUB_APP_ID: APP_ID, GITHUB_APP_PRIVATE_KEY: pem(der).replace(/\n/g, "\\n"), GITHUB_TOKEN: "" };
});
afterAll(() => quiesce(fake));

const full = (r: FakeRepo) => `${r.owner}/${r.name}`;
const statusOf = async (name: string) => (await entity("component", name)).status;
const removal = (installationId: number, repos: FakeRepo[] | null) =>
  handleInstallation(appEnv, { type: "github-installation", action: "removed", installationId, repos: repos && repos.map((r) => ({ id: r.id, fullName: full(r) })) });

async function installed(owner: string, names: string[]) {
  const repos: FakeRepo[] = [];
  for (const name of names) repos.push(await createRepo(fake, { "catalog-info.yaml": yamlComponent(name) }, { owner }));
  const id = fake.model.createInstallation(owner, repos.map(full));
  for (const r of repos) await handleSync(appEnv, { type: "github-sync", repo: { id: r.id, owner: r.owner, name: r.name, installationId: id }, reason: "test" });
  for (const name of names) expect(await statusOf(name)).toBe(200);
  return { id, repos };
}

describe("installation events with a GitHub App", () => {
  it("removes a repo only once the installation no longer lists it", async () => {
    const { id, repos } = await installed("app-inst", ["app-a", "app-b"]);
    expect(await removal(id, repos)).toContain("removed 0 repo(s)");
    expect(await statusOf("app-a")).toBe(200);
    fake.model.removeFromInstallation(id, full(repos[0]));
    expect(await removal(id, repos)).toContain("removed 1 repo(s)");
    expect(await statusOf("app-a")).toBe(404);
    expect(await statusOf("app-b")).toBe(200);
  });

  it("removes an installation's repos only once GitHub no longer knows it, or it is suspended", async () => {
    const first = await installed("app-gone", ["gone-a"]);
    const second = await installed("app-paused", ["paused-a"]);
    // A replayed "deleted" for a live installation.
    expect(await removal(first.id, null)).toContain("removed 0 repo(s)");
    expect(await statusOf("gone-a")).toBe(200);
    fake.model.deleteInstallation(first.id);
    expect(await removal(first.id, null)).toContain("removed 1 repo(s)");
    expect(await statusOf("gone-a")).toBe(404);

    fake.model.suspendInstallation(second.id);
    expect(await removal(second.id, null)).toContain("removed 1 repo(s)");
    expect(await statusOf("paused-a")).toBe(404);
  });
});
