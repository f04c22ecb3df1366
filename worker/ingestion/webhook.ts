/**
 * POST /api/github/webhook — GitHub's webhook receiver. Everything that costs nothing is checked before a
 * byte of the body is read: the configured secret, X-GitHub-Event (an event the catalog does not use is
 * answered at once and never read), X-GitHub-Delivery, the presence and form of X-Hub-Signature-256, and a
 * Content-Length within MAX_BODY (411 without one, 413 over it). The body is then read as bytes through a
 * cap at the declared length, so a lying Content-Length buys nothing; the HMAC is checked over those raw
 * bytes; only then is the body decoded (strict UTF-8) and parsed. A verified delivery is analyzed
 * (github.ts), claimed by its X-GitHub-Delivery so a redelivery runs once (and again after a failure),
 * queued as slim jobs and answered with 202: GitHub gives up after 10 s and never retries, so all work
 * happens in the queue consumer. Without a configured secret it refuses (503), except in local development.
 * Plugins that subscribe to the event (manifest `webhooks`, worker/plugins/hooks/dispatch.ts) get the
 * verified payload as one queue message each, after the catalog's own jobs are queued, so a plugin can
 * neither delay nor fail ingestion; events only plugins use are read and verified for them alone.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { readGithubConfig } from "../github/config";
import { enqueueAll } from "../jobs/enqueue";
import type { JobMessage } from "../jobs/types";
import { analyzeGithubWebhook, WEBHOOK_EVENTS } from "./github";
import { clientAddress, enforceLimit } from "../identity/rate-limit";
import { joinChunks } from "../net/bytes";
import { decodeUtf8 } from "../net/text";
import { claimDelivery, recordDelivery, settleDelivery } from "./store/deliveries";
import { dispatchWebhook, webhookSubscribers } from "../plugins/hooks/dispatch";

/**
 * GitHub delivers payloads up to 25 MB; we take 10 MiB. The bytes, their decoded text and the parsed
 * payload are all alive at once, so a 25 MB delivery would need most of an isolate's 128 MB, and two at
 * once would not fit. Nothing of value is lost above the cap: the analyzer keeps at most 100 KB of any
 * payload (longer file or repository lists are dropped for a tree compare or an API listing), a push too
 * big to deliver is healed by the reconciliation sweep, and 10 MiB still holds an installation event
 * listing some 80,000 repositories.
 */
export const MAX_BODY = 10 * 1024 * 1024;
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

let hmac: { secret: string; key: Promise<CryptoKey> } | null = null;

function hmacKey(secret: string): Promise<CryptoKey> {
  if (hmac?.secret !== secret) {
    const key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    hmac = { secret, key };
  }
  return hmac.key;
}

/**
 * HMAC-SHA256 of the raw body against the header's digest. WebCrypto's verify compares in constant time.
 * @octokit/webhooks' verify takes a string and re-encodes it, so bytes that decode to the same text (a
 * BOM, invalid sequences replaced by U+FFFD) would pass under another body's signature.
 */
async function verifySignature(secret: string, body: Uint8Array, hexDigest: string): Promise<boolean> {
  const digest = new Uint8Array(32);
  for (let i = 0; i < 32; i++) digest[i] = parseInt(hexDigest.slice(i * 2, i * 2 + 2), 16);
  return crypto.subtle.verify("HMAC", await hmacKey(secret), digest, body);
}

/** The hex digest of an X-Hub-Signature-256 header; a missing or malformed one is a 401. */
function signatureDigest(header: string | undefined): string {
  if (!header) throw new ApiError("AuthenticationError", "Missing X-Hub-Signature-256 header: the webhook must be signed with the configured secret");
  const match = SIGNATURE.exec(header);
  if (!match) throw new ApiError("AuthenticationError", "Invalid X-Hub-Signature-256: expected sha256= and 64 hex digits");
  return match[1];
}

/** The declared body length; GitHub always sends one. */
function declaredLength(header: string | undefined): number {
  if (header === undefined) throw new ApiError("LengthRequiredError", "Webhook requests must carry a Content-Length header");
  if (!/^\d{1,12}$/.test(header)) throw new ApiError("InputError", "Invalid Content-Length header");
  const length = Number(header);
  if (length > MAX_BODY) throw new ApiError("PayloadTooLargeError", `Webhook body of ${length} bytes is larger than the ${MAX_BODY / 1024 / 1024} MiB this receiver accepts`);
  return length;
}

/**
 * Reads exactly `length` bytes. Reading stops, and the stream is cancelled, at the first byte past it,
 * whatever the header said; memory grows with the bytes that actually arrive, not with the declared length.
 */
async function readBody(stream: ReadableStream<Uint8Array> | null, length: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (stream) {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > length) {
        reader.cancel().catch(() => {});
        throw new ApiError("PayloadTooLargeError", `Webhook body is longer than its Content-Length of ${length} bytes`);
      }
      chunks.push(value);
      size += value.byteLength;
    }
  }
  if (size < length) throw new ApiError("InputError", `Webhook body ended after ${size} of its ${length} bytes`);
  return joinChunks(chunks, size);
}

/** GitHub sends UTF-8 JSON, or `payload=<json>` when the hook's content type is form-encoded. */
function parsePayload(body: Uint8Array, contentType: string): unknown {
  let text: string;
  try {
    // Bytes that are not UTF-8 are refused, not replaced; a leading BOM is dropped.
    text = decodeUtf8(body, "Webhook body");
  } catch {
    throw new ApiError("InputError", "Webhook body is not valid UTF-8");
  }
  try {
    if (contentType.includes("application/x-www-form-urlencoded")) {
      const payload = new URLSearchParams(text).get("payload");
      if (payload === null) throw new Error("no 'payload' field");
      return JSON.parse(payload);
    }
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError("InputError", `Webhook body is not a valid payload: ${(err as Error).message}`);
  }
}

export const webhookRoutes = new Hono<AppEnv>().post("/webhook", async (c) => {
  const secret = c.env.GITHUB_WEBHOOK_SECRET?.trim();
  if (!secret && c.env.EDGESTAGE_ENV !== "development") {
    throw new ApiError("ServiceUnavailableError", "GitHub webhooks are disabled: GITHUB_WEBHOOK_SECRET is not configured");
  }
  const event = c.req.header("x-github-event");
  const deliveryId = c.req.header("x-github-delivery");
  if (!event || !/^[a-z_]{1,64}$/.test(event)) throw new ApiError("InputError", "Missing or invalid X-GitHub-Event header");
  const plugins = c.get("plugins") ?? [];
  if (!WEBHOOK_EVENTS.has(event) && !webhookSubscribers(plugins, event).length) {
    // Nothing is read, verified or recorded for an event the catalog does not use: answering costs nothing,
    // whoever sent it. 200, so a hook subscribed to more events does not show failed deliveries.
    return c.json({ status: "unsupported", delivery: deliveryId ?? null, message: `event ${event} is not used by the catalog` }, 200);
  }
  if (!deliveryId || !/^[\x21-\x7e]{1,100}$/.test(deliveryId)) throw new ApiError("InputError", "Missing or invalid X-GitHub-Delivery header");
  const digest = secret ? signatureDigest(c.req.header("x-hub-signature-256")) : null;
  // Before the body is read or hashed: a flood of well-formed but unsigned deliveries costs a counter, not 10 MiB each.
  await enforceLimit(c, "WEBHOOK_LIMITER", clientAddress(c), "webhook deliveries");
  const body = await readBody(c.req.raw.body, declaredLength(c.req.header("content-length")));
  if (!secret || digest === null) {
    console.warn("GITHUB_WEBHOOK_SECRET is not set: accepting an unsigned webhook (development only)");
  } else if (!(await verifySignature(secret, body, digest))) {
    throw new ApiError("AuthenticationError", "Invalid X-Hub-Signature-256: the signature does not match the body and the configured secret");
  }

  const payload = parsePayload(body, c.req.header("content-type") ?? "application/json");
  const result = analyzeGithubWebhook(event, payload, deliveryId, readGithubConfig(c.env).patterns);
  const action = typeof (payload as { action?: unknown }).action === "string" ? (payload as { action: string }).action : null;
  const delivery = { id: deliveryId, event, action, repo: result.repo };

  // A delivery the receiver has seen before is not handed to plugins again either.
  const toPlugins = async () => {
    const ids = await dispatchWebhook(c.env, plugins, { event, deliveryId, payload: payload as Record<string, unknown> });
    return ids.length ? { plugins: ids } : {};
  };

  if (result.type !== "ok" || result.jobs.length === 0) {
    const detail = result.type === "ok" ? result.summary : result.reason;
    const fresh = await recordDelivery(c.env.DB, { ...delivery, status: result.type === "ok" ? "done" : "ignored", detail });
    console.log(`github ${event} ${deliveryId}: ${result.type === "ok" ? "ok" : result.type}, ${detail}`);
    // The answer is the catalog's; `plugins` names those the delivery was queued for.
    const forPlugins = fresh ? await toPlugins() : {};
    return c.json({ status: fresh ? (result.type === "ok" ? "ok" : result.type) : "duplicate", delivery: deliveryId, message: detail, ...forPlugins }, 200);
  }
  if (!(await claimDelivery(c.env.DB, delivery))) {
    return c.json({ status: "duplicate", delivery: deliveryId, message: "This delivery was already processed or is in progress" }, 200);
  }
  try {
    await enqueueAll(c.env.JOBS, result.jobs satisfies JobMessage[]);
  } catch (err) {
    // Nothing was queued: mark it failed so GitHub's redelivery (same id) is accepted again.
    await settleDelivery(c.env.DB, deliveryId, "failed", `Could not queue: ${(err as Error).message}`, 0);
    throw new ApiError("ServiceUnavailableError", "The job queue is unavailable; redeliver this webhook later");
  }
  console.log(`github ${event} ${deliveryId}: accepted, ${result.summary}`);
  return c.json({ status: "accepted", delivery: deliveryId, message: result.summary, ...(await toPlugins()) }, 202);
});
