/** POST /api/github/webhook: signatures, headers and bodies, on real GitHub payloads re-signed with the test secret. */
import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "@octokit/webhooks-methods";
import { createApp } from "../../../worker/app";
import pingPayload from "../../fixtures/github/ping.json";
import pushPayload from "../../fixtures/github/push.json";
import publicized from "../../fixtures/github/repository-publicized.json";
import { deliver, getDeliveryStatus, installFakeGithub, quiesce } from "./github-helpers";

const body = JSON.stringify(pushPayload);
// Accepted deliveries queue real jobs; the fake answers them (Codertocat/Hello-World does not exist there).
let fake: ReturnType<typeof installFakeGithub>;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

describe("signature", () => {
  it("accepts a push signed with the configured secret (202)", async () => {
    const { res, body } = await deliver("push", pushPayload);
    expect(res.status).toBe(202);
    expect(body).toMatchObject({ status: "accepted", message: "push: comparing trees" });
  });

  it("rejects a tampered body (401)", async () => {
    const signature = await sign("test-secret", body);
    const { res, body: err } = await deliver("push", null, { body: body.replace("Hello-World", "Hello-Werld"), signature });
    expect(res.status).toBe(401);
    expect(err).toMatchObject({
      error: { name: "AuthenticationError", message: "Invalid X-Hub-Signature-256: the signature does not match the body and the configured secret" },
      request: { method: "POST", url: "/api/github/webhook" },
      response: { statusCode: 401 },
    });
  });

  it("rejects a body signed with another secret (401)", async () => {
    const { res } = await deliver("push", pushPayload, { secret: "not-the-secret" });
    expect(res.status).toBe(401);
  });

  it("rejects an unsigned delivery (401) and a malformed signature header (401)", async () => {
    const unsigned = await deliver("push", pushPayload, { signature: null });
    expect(unsigned.res.status).toBe(401);
    expect(unsigned.body.error.message).toMatch(/^Missing X-Hub-Signature-256 header/);
    expect((await deliver("push", pushPayload, { signature: "sha1=abc" })).res.status).toBe(401);
    expect((await deliver("push", pushPayload, { signature: "sha256=zz" })).res.status).toBe(401);
  });

  it("refuses every webhook when no secret is configured outside development (503)", async () => {
    const app = createApp();
    const res = await app.request(
      "/api/github/webhook",
      { method: "POST", headers: { "x-github-event": "push", "x-github-delivery": "x" }, body },
      { ...env, GITHUB_WEBHOOK_SECRET: "", EDGESTAGE_ENV: "production" },
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { name: "ServiceUnavailableError" } });
  });
});

describe("headers and bodies", () => {
  it("answers a ping with pong and records it", async () => {
    const { res, id, body } = await deliver("ping", pingPayload);
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ status: "ok", message: `pong (hook ${pingPayload.hook_id})` });
    expect(await getDeliveryStatus(id)).toMatchObject({ status: "done" });
  });

  it("answers 400 without X-GitHub-Event or X-GitHub-Delivery", async () => {
    const noEvent = await deliver("", pushPayload);
    expect(noEvent.res.status).toBe(400);
    expect(noEvent.body.error).toMatchObject({ name: "InputError", message: "Missing or invalid X-GitHub-Event header" });
    const noId = await deliver("push", pushPayload, { id: "" });
    expect(noId.res.status).toBe(400);
  });

  it("answers 400 for a signed body that is not JSON, or a push without a repository", async () => {
    const notJson = await deliver("push", null, { body: "{not json" });
    expect(notJson.res.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/^Webhook body is not a valid payload/);
    const noRepo = await deliver("push", { ref: "refs/heads/main", before: "a", after: "b" });
    expect(noRepo.res.status).toBe(400);
    expect(noRepo.body.error.message).toBe("Invalid push payload: 'repository' must carry id, name, owner.login and default_branch");
    expect((await deliver("push", [1, 2])).res.status).toBe(400);
  });

  it("accepts GitHub's form-encoded content type", async () => {
    const form = `payload=${encodeURIComponent(JSON.stringify(pingPayload))}`;
    const { res } = await deliver("ping", null, { body: form, contentType: "application/x-www-form-urlencoded" });
    expect(res.status).toBe(200);
  });

  it("says which events it does not use", async () => {
    const { res, body } = await deliver("star", { action: "created", repository: { full_name: "o/r" } });
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ status: "unsupported", message: "event star is not used by the catalog" });
    const ignored = await deliver("repository", publicized);
    expect(ignored.body).toMatchObject({ status: "ignored", message: "repository publicized: does not change the catalog" });
  });
});
