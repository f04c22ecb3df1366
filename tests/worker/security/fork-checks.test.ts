/**
 * Pull request checks run the installation's token on code anyone can write. A pull request from a fork
 * must read the fork's changed catalog files and nothing else: no placeholder targets (in the fork, the
 * base repo or elsewhere), no Location targets, no other repositories, no other hosts. And no check posts
 * content read from another file, from a fork or not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepo, deliver, installFakeGithub, quiesce, settled, yamlComponent } from "../ingestion/github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import type { FakeRepo } from "../../fake-github/model.mjs";
import { pullRequestPayload } from "../../fake-github/payloads.mjs";
import prTemplate from "../../fixtures/github/pull_request-opened.json";
import { canary, canaryHits, installAllowedHosts } from "./canary";

const OTHER_FILE = "OTHER-FILE-CONTENT-5e1d";
let fake: FakeGithub;
let allowed: { requests: string[] };

beforeAll(() => {
  fake = installFakeGithub();
  allowed = installAllowedHosts(() => new Response(`${OTHER_FILE} from an allowed host`));
});
afterAll(() => quiesce(fake));

/** A catalog file that points everywhere a check could be made to read. */
function greedyFile(base: FakeRepo) {
  const web = `https://github.com/${base.owner}/${base.name}`;
  const api = (name: string, definition: unknown) =>
    JSON.stringify({ apiVersion: "backstage.io/v1alpha1", kind: "API", metadata: { name }, spec: { type: "openapi", lifecycle: "production", owner: "team-a", definition } });
  return [
    yamlComponent("fork-component"),
    api("fork-relative", { $text: "./docs/openapi.yaml" }),
    api("fork-upstream", { $text: `${web}/blob/main/docs/openapi.yaml` }),
    api("fork-host", { $text: "https://ok.allowed.test/spec.yaml" }),
    api("fork-internal", { $text: `${canary().url}/fork` }),
    JSON.stringify({
      apiVersion: "backstage.io/v1alpha1",
      kind: "Location",
      metadata: { name: "fork-targets" },
      spec: { targets: ["./more.yaml", `${web}/blob/main/more.yaml`, "https://ok.allowed.test/more.yaml", `${canary().url}/more.yaml`] },
    }),
  ].join("\n---\n");
}

describe("a pull request from a fork", () => {
  it("reads only the fork's changed catalog file: no placeholders, no Location targets, no other repos or hosts", async () => {
    const files = { "docs/openapi.yaml": `${OTHER_FILE} upstream\n`, "more.yaml": yamlComponent("upstream-more") };
    const base = await createRepo(fake, { ...files, "catalog-info.yaml": yamlComponent("upstream") });
    const fork = await fake.model.createRepo({ owner: `forker-${base.id}`, name: base.name, files: { ...files, "docs/openapi.yaml": `${OTHER_FILE} fork\n` } });
    const greedy = greedyFile(base);
    // The fake lists a pull request's files from the base repo's branches; the head commit lives in the fork.
    await fake.model.commit(`${base.owner}/${base.name}`, { branch: "from-fork", from: base.branches.get("main"), files: { "catalog-info.yaml": greedy } });
    const head = await fake.model.commit(`${fork.owner}/${fork.name}`, { files: { "catalog-info.yaml": greedy } });
    const pull = fake.model.openPull(`${base.owner}/${base.name}`, { head: "from-fork" });
    const payload = pullRequestPayload(prTemplate, "opened", base, pull);
    payload.pull_request.head = { ...payload.pull_request.head, sha: head.after, repo: fake.repoJson(fork) };

    const from = fake.requests.length;
    const hostsBefore = allowed.requests.length;
    const delivered = await deliver("pull_request", payload);
    expect((await settled(delivered.id)).status).toBe("done");

    const paths = fake.requests.slice(from).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([
      `GET /repos/${base.owner}/${base.name}/pulls/${pull.number}/files?per_page=100&page=1`,
      `GET /repos/${fork.owner}/${fork.name}/contents/catalog-info.yaml?ref=${head.after}`,
      `POST /repos/${base.owner}/${base.name}/statuses/${head.after}`,
    ]);
    expect(allowed.requests.slice(hostsBefore)).toEqual([]);
    expect(await canaryHits()).toEqual([]);
    const status = fake.statuses.find((s) => s.sha === head.after)!;
    expect(status.body.state).toBe("failure");
    expect(JSON.stringify(status)).not.toContain(OTHER_FILE);
  });
});

describe("a pull request from the repo itself", () => {
  it("never posts content its placeholders read", async () => {
    const repo = await createRepo(fake, { "owner.txt": `${OTHER_FILE}:`, "catalog-info.yaml": yamlComponent("same-repo-pr") });
    const file = ["apiVersion: backstage.io/v1alpha1", "kind: Component", "metadata:", "  name: same-repo-pr", "spec:", "  type: service", "  lifecycle: production", "  owner:", "    $text: ./owner.txt", ""].join("\n");
    await fake.model.commit(`${repo.owner}/${repo.name}`, { branch: "owner-from-file", from: repo.branches.get("main"), files: { "catalog-info.yaml": file } });
    const pull = fake.model.openPull(`${repo.owner}/${repo.name}`, { head: "owner-from-file" });
    const delivered = await deliver("pull_request", pullRequestPayload(prTemplate, "opened", repo, pull));
    expect((await settled(delivered.id)).status).toBe("done");
    const status = fake.statuses.find((s) => s.sha === pull.headSha)!;
    expect(status.body).toMatchObject({ state: "failure" });
    expect(status.body.description).toContain("spec.owner");
    expect(JSON.stringify(status)).not.toContain(OTHER_FILE);
  });
});
