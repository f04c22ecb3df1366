/**
 * Handing events to plugins through the queue, never inline: a verified GitHub webhook to each plugin whose
 * manifest subscribes to its event (and has onWebhook), and a committed catalog change to the consumer's
 * fan-out (run.ts). Enqueueing is all the request or job pays; a failure to enqueue is logged and never fails
 * the delivery or the refresh it came from.
 */
import type { WorkerPlugin } from "../../../contract/plugin-worker";
import type { FileReport } from "../../catalog/store/apply-file";
import { enqueueAll, groupWithin, MAX_MESSAGE_BYTES, messageBytes } from "../../jobs/enqueue";
import type { CatalogChangedJob, CatalogChangeRefs, PluginHookJob } from "./types";

/** Refs per catalog-change message, at most; fewer when long refs or location URLs would fill it. */
export const REFS_PER_CHANGE_MESSAGE = 200;
/** A change message's refs, in queue bytes (messageBytes): room under MAX_MESSAGE_BYTES for the framing. */
const CHANGE_MESSAGE_REF_BYTES = MAX_MESSAGE_BYTES - 1024;
/** Where parked webhook bodies live: outside every plugin's `plugins/<id>/` space. */
export const PARKED_WEBHOOK_PREFIX = "core/webhooks/";

export function webhookSubscribers(plugins: readonly WorkerPlugin[], event: string): WorkerPlugin[] {
  return plugins.filter((p) => typeof p.onWebhook === "function" && (p.manifest.webhooks ?? []).includes(event));
}

/** A webhook travels in its message, or parked in BLOBS when the message would be over the queue's limit. */
type WebhookBody = Pick<Extract<PluginHookJob, { hook: "webhook" }>, "payload" | "payloadKey">;

/** Queues the webhook for each subscriber; returns their ids (empty when none subscribes or queueing failed). */
export async function dispatchWebhook(env: Env, plugins: readonly WorkerPlugin[], w: { event: string; deliveryId: string; payload: Record<string, unknown> }): Promise<string[]> {
  const subscribers = webhookSubscribers(plugins, w.event);
  if (!subscribers.length) return [];
  try {
    const messageFor = (p: WorkerPlugin, body: WebhookBody): PluginHookJob => ({ type: "plugin-hook", pluginId: p.manifest.id, hook: "webhook", event: w.event, githubDelivery: w.deliveryId, ...body });
    const longestId = subscribers.reduce((a, b) => (b.manifest.id.length > a.manifest.id.length ? b : a));
    let body: WebhookBody = { payload: w.payload };
    if (messageBytes(messageFor(longestId, body)) > MAX_MESSAGE_BYTES) {
      const payloadKey = `${PARKED_WEBHOOK_PREFIX}${encodeURIComponent(w.deliveryId)}.json`;
      await env.BLOBS.put(payloadKey, JSON.stringify(w.payload), { httpMetadata: { contentType: "application/json" } });
      body = { payloadKey };
    }
    await enqueueAll(env.JOBS, subscribers.map((p) => messageFor(p, body)));
    return subscribers.map((p) => p.manifest.id);
  } catch (err) {
    console.error(`github ${w.event} ${w.deliveryId}: could not queue it for plugins`, err);
    return [];
  }
}

/** Parked bodies are kept this long: past every retry of the messages that point at them (and a replay window). */
export const PARKED_WEBHOOK_RETENTION_MS = 7 * 24 * 3600_000;

/** Deletes parked webhook bodies uploaded before `olderThan` (the sweep calls it); returns how many went. */
export async function pruneParkedWebhooks(bucket: R2Bucket, olderThan: number): Promise<number> {
  let cursor: string | undefined;
  let removed = 0;
  do {
    const page = await bucket.list({ prefix: PARKED_WEBHOOK_PREFIX, cursor, limit: 1000 });
    const old = page.objects.filter((o) => o.uploaded.getTime() < olderThan).map((o) => o.key);
    if (old.length) await bucket.delete(old);
    removed += old.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return removed;
}

/** What the reports of one refresh upserted and removed; null when nothing changed. */
export function changeOf(reports: readonly FileReport[]): CatalogChangeRefs | null {
  const upserted: CatalogChangeRefs["upserted"] = [];
  const removed: string[] = [];
  for (const r of reports) {
    for (const ref of [...r.added, ...r.updated]) upserted.push({ ref, locationKey: r.location });
    removed.push(...r.removed);
  }
  // A ref moved between files in one refresh is removed from one and added by the other: it is upserted.
  const kept = new Set(upserted.map((u) => u.ref));
  const gone = [...new Set(removed.filter((ref) => !kept.has(ref)))];
  return upserted.length || gone.length ? { upserted, removed: gone } : null;
}

/** Queues a `catalog-changed` message (in chunks) for the plugins' onCatalogChange; never throws. */
export async function announceCatalogChange(queue: Queue, reports: readonly FileReport[]): Promise<void> {
  const change = changeOf(reports);
  if (!change) return;
  try {
    const chunks = <T>(refs: readonly T[]) => groupWithin(refs, messageBytes, REFS_PER_CHANGE_MESSAGE, CHANGE_MESSAGE_REF_BYTES);
    const messages: CatalogChangedJob[] = [
      ...chunks(change.upserted).map((upserted) => ({ type: "catalog-changed" as const, change: { upserted, removed: [] } })),
      ...chunks(change.removed).map((removed) => ({ type: "catalog-changed" as const, change: { upserted: [], removed } })),
    ];
    await enqueueAll(queue, messages);
  } catch (err) {
    console.error("could not queue a catalog change for plugins", err);
  }
}
