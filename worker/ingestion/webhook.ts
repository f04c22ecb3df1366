/**
 * POST /api/github/webhook — GitHub's webhook receiver. Verifies X-Hub-Signature-256 over the raw body
 * (@octokit/webhooks), analyzes the event (github.ts), claims the X-GitHub-Delivery so a redelivery runs
 * once (and again after a failure), queues slim jobs and answers 202 at once: GitHub gives up after 10 s
 * and never retries, so all work happens in the queue consumer. Unsigned or wrongly signed → 401; without
 * a configured secret it refuses (503), except in local development.
 */
import { Hono } from "hono";
import { Webhooks } from "@octokit/webhooks";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { limitBody } from "../http";
import { readGithubConfig } from "../github/config";
import type { JobMessage } from "../jobs/types";
import { analyzeGithubWebhook } from "./github";
import { claimDelivery, recordDelivery, settleDelivery } from "./store/deliveries";

/** GitHub does not deliver payloads over 25 MB. */
const MAX_BODY = 26 * 1024 * 1024;
const verifiers = new Map<string, Webhooks>();

async function verifySignature(secret: string, body: string, signature: string): Promise<boolean> {
  let webhooks = verifiers.get(secret);
  if (!webhooks) verifiers.set(secret, (webhooks = new Webhooks({ secret })));
  try {
    return await webhooks.verify(body, signature);
  } catch {
    // A malformed signature header is just a wrong signature.
    return false;
  }
}

/** GitHub sends JSON, or `payload=<json>` when the hook's content type is form-encoded. */
function parsePayload(body: string, contentType: string): unknown {
  try {
    if (contentType.includes("application/x-www-form-urlencoded")) {
      const payload = new URLSearchParams(body).get("payload");
      if (payload === null) throw new Error("no 'payload' field");
      return JSON.parse(payload);
    }
    return JSON.parse(body);
  } catch (err) {
    throw new ApiError("InputError", `Webhook body is not a valid payload: ${(err as Error).message}`);
  }
}

export const webhookRoutes = new Hono<AppEnv>().post("/webhook", limitBody(MAX_BODY), async (c) => {
  const secret = c.env.GITHUB_WEBHOOK_SECRET?.trim();
  const body = await c.req.text();
  if (!secret) {
    if (c.env.EDGESTAGE_ENV !== "development") {
      throw new ApiError("ServiceUnavailableError", "GitHub webhooks are disabled: GITHUB_WEBHOOK_SECRET is not configured");
    }
    console.warn("GITHUB_WEBHOOK_SECRET is not set: accepting an unsigned webhook (development only)");
  } else {
    const signature = c.req.header("x-hub-signature-256");
    if (!signature) throw new ApiError("AuthenticationError", "Missing X-Hub-Signature-256 header: the webhook must be signed with the configured secret");
    if (!(await verifySignature(secret, body, signature))) throw new ApiError("AuthenticationError", "Invalid X-Hub-Signature-256: the signature does not match the body and the configured secret");
  }
  const event = c.req.header("x-github-event");
  const deliveryId = c.req.header("x-github-delivery");
  if (!event || !/^[a-z_]{1,64}$/.test(event)) throw new ApiError("InputError", "Missing or invalid X-GitHub-Event header");
  if (!deliveryId || deliveryId.length > 100) throw new ApiError("InputError", "Missing or invalid X-GitHub-Delivery header");

  const payload = parsePayload(body, c.req.header("content-type") ?? "application/json");
  const result = analyzeGithubWebhook(event, payload, deliveryId, readGithubConfig(c.env).patterns);
  const action = typeof (payload as { action?: unknown }).action === "string" ? (payload as { action: string }).action : null;
  const delivery = { id: deliveryId, event, action, repo: result.repo };

  if (result.type !== "ok" || result.jobs.length === 0) {
    const detail = result.type === "ok" ? result.summary : result.reason;
    const fresh = await recordDelivery(c.env.DB, { ...delivery, status: result.type === "ok" ? "done" : "ignored", detail });
    console.log(`github ${event} ${deliveryId}: ${result.type === "ok" ? "ok" : result.type}, ${detail}`);
    return c.json({ status: fresh ? (result.type === "ok" ? "ok" : result.type) : "duplicate", delivery: deliveryId, message: detail }, 200);
  }
  if (!(await claimDelivery(c.env.DB, delivery))) {
    return c.json({ status: "duplicate", delivery: deliveryId, message: "This delivery was already processed or is in progress" }, 200);
  }
  try {
    await c.env.JOBS.sendBatch(result.jobs.map((body) => ({ body: body satisfies JobMessage })));
  } catch (err) {
    // Nothing was queued: mark it failed so GitHub's redelivery (same id) is accepted again.
    await settleDelivery(c.env.DB, deliveryId, "failed", `Could not queue: ${(err as Error).message}`, 0);
    throw new ApiError("ServiceUnavailableError", "The job queue is unavailable; redeliver this webhook later");
  }
  console.log(`github ${event} ${deliveryId}: accepted, ${result.summary}`);
  return c.json({ status: "accepted", delivery: deliveryId, message: result.summary }, 202);
});
