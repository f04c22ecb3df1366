/**
 * The GitHub reader decodes files from bytes: the blob id and size are checked over the raw bytes (a UTF-8
 * byte-order mark included), then a leading BOM is dropped and the rest must be strict UTF-8; CRLF stays as
 * it is. A file that is not UTF-8 or is over 4 MB is a permanent error (retrying cannot fix it), never the
 * "answer was cut off" a transient fault is.
 */
import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRepo, deliver, entity, installFakeGithub, push, quiesce, settled, yamlComponent } from "../ingestion/github-helpers";
import { pullRequestPayload } from "../../fake-github/payloads.mjs";
import prTemplate from "../../fixtures/github/pull_request-opened.json";
import type { FakeGithub } from "../../fake-github/app.mjs";
import { createGithubClient } from "../../../worker/github/client";
import { readGithubConfig } from "../../../worker/github/config";
import { RetryableError } from "../../../worker/github/errors";
import { gitBlobSha, readRepoFile } from "../../../worker/github/reader";
import { FileEncodingError, PermanentReadError, TooLargeError } from "../../../worker/net/errors";

let fake: FakeGithub;
/** Contents answers for `bytes-org/raw`, built from exact bytes (the fake GitHub stores text only). */
const crafted = new Map<string, { bytes: Uint8Array; sha: string; inline: boolean; size: number }>();

/** `inline: false` serves it as GitHub serves files over 1 MB: no content, the raw blob endpoint instead. */
async function craft(path: string, bytes: Uint8Array, opts: { inline: boolean; size?: number }) {
  crafted.set(path, { bytes, sha: await gitBlobSha(bytes), inline: opts.inline, size: opts.size ?? bytes.length });
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

beforeAll(() => {
  fake = installFakeGithub();
  const github = vi.mocked(globalThis.fetch).getMockImplementation()!;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new URL(new Request(input, init).url);
    const m = /^\/repos\/bytes-org\/raw\/(contents|git\/blobs)\/(.+)$/.exec(url.pathname);
    if (!m) return github(input, init);
    if (m[1] === "git/blobs") {
      const blob = [...crafted.values()].find((f) => f.sha === m[2]);
      return blob ? new Response(blob.bytes) : Response.json({ message: "Not Found" }, { status: 404 });
    }
    const file = crafted.get(decodeURIComponent(m[2]));
    if (!file) return Response.json({ message: "Not Found" }, { status: 404 });
    return Response.json({ type: "file", sha: file.sha, size: file.size, encoding: file.inline ? "base64" : "none", content: file.inline ? b64(file.bytes) : "" });
  });
});
afterAll(() => quiesce(fake));

const client = () => createGithubClient(readGithubConfig(env));
const bytesOf = (...parts: (string | number[])[]) => {
  const enc = new TextEncoder();
  const chunks = parts.map((p) => (typeof p === "string" ? enc.encode(p) : new Uint8Array(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};
const BOM = [0xef, 0xbb, 0xbf];

describe("readRepoFile", () => {
  it("checks the blob over the raw bytes of a file with a BOM and CRLF line ends, then drops the BOM", async () => {
    const text = "apiVersion: backstage.io/v1alpha1\r\nkind: Component\r\n";
    await craft("bom-inline.yaml", bytesOf(BOM, text), { inline: true });
    await craft("bom-blob.yaml", bytesOf(BOM, text), { inline: false });
    for (const path of ["bom-inline.yaml", "bom-blob.yaml"]) {
      const file = await readRepoFile(client(), "bytes-org", "raw", path, "main");
      expect(file?.content).toBe(text);
      expect(file?.sha).toBe(await gitBlobSha(bytesOf(BOM, text)));
    }
  });

  it("refuses bytes that are not UTF-8 as a permanent error, not as a cut-off answer", async () => {
    await craft("latin1.yaml", bytesOf("name: caf", [0xe9], "\n"), { inline: true });
    await craft("truncated-sequence.yaml", bytesOf("name: ", [0xe2, 0x82]), { inline: false });
    for (const path of ["latin1.yaml", "truncated-sequence.yaml"]) {
      const error = await readRepoFile(client(), "bytes-org", "raw", path, "main").catch((e) => e);
      expect(error).toBeInstanceOf(FileEncodingError);
      expect(error).toBeInstanceOf(PermanentReadError);
      expect(error).not.toBeInstanceOf(RetryableError);
      expect(error.message).toContain(path);
    }
    // Bytes that do not match their blob are still a transient fault.
    await craft("mismatch.yaml", bytesOf("a: 1\n"), { inline: true, size: 99 });
    await expect(readRepoFile(client(), "bytes-org", "raw", "mismatch.yaml", "main")).rejects.toBeInstanceOf(RetryableError);
  });

  it("refuses a file over 4 MB as a permanent error before downloading it", async () => {
    await craft("huge.yaml", bytesOf("x"), { inline: false, size: 4 * 1024 * 1024 + 1 });
    const error = await readRepoFile(client(), "bytes-org", "raw", "huge.yaml", "main").catch((e) => e);
    expect(error).toBeInstanceOf(TooLargeError);
    expect(error).toBeInstanceOf(PermanentReadError);
    expect(error.message).toMatch(/huge\.yaml is larger than 4 MB/);
  });
});

describe("a pushed catalog file with a byte-order mark", () => {
  it("is indexed, CRLF line ends and all", async () => {
    const yaml = ["apiVersion: backstage.io/v1alpha1", "kind: Component", "metadata:", "  name: bom-crlf", "spec:", "  type: service", "  lifecycle: production", "  owner: team-a", ""].join("\r\n");
    const repo = await createRepo(fake, {});
    const { status } = await push(fake, repo, { "catalog-info.yaml": `\uFEFF${yaml}` });
    expect(status.status).toBe("done");
    const found = await entity("component", "bom-crlf");
    expect(found.status).toBe(200);
    expect(found.body.spec).toEqual({ type: "service", lifecycle: "production", owner: "team-a" });
  });
});

describe("a pull request with a catalog file over 4 MB", () => {
  it("reports that file and still checks the others", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("pr-size-base") });
    const huge = `${yamlComponent("pr-huge")}  description: "${"x".repeat(4 * 1024 * 1024)}"\n`;
    await fake.model.commit(`${repo.owner}/${repo.name}`, {
      branch: "huge",
      from: repo.branches.get("main"),
      files: { "big/catalog-info.yaml": huge, "small/catalog-info.yaml": "kind: [\n" },
    });
    const pull = fake.model.openPull(`${repo.owner}/${repo.name}`, { head: "huge" });
    const delivered = await deliver("pull_request", pullRequestPayload(prTemplate, "opened", repo, pull));
    expect((await settled(delivered.id)).status).toBe("done");
    const status = fake.statuses.find((s) => s.sha === pull.headSha)!;
    expect(status.body).toMatchObject({ state: "failure" });
    expect(status.body.description).toMatch(/^2 catalog errors in pull request #1: big\/catalog-info\.yaml big\/catalog-info\.yaml is larger than 4 MB/);
  });
});
