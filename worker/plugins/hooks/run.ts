/**
 * Running plugin hooks from the queue. `plugin-hook` messages call one plugin's onJob, onWebhook or
 * onCatalogChange with its hook context (the plugin's service identity); `catalog-changed` messages fan a
 * change out into one `plugin-hook` message per plugin that listens. A message for a plugin that is not
 * installed (or lacks the hook), or one its hook refuses with a 4xx, cannot succeed by retrying: it is
 * dead-lettered at once. Anything else a hook throws is retried with the queue's backoff.
 */
import type { CatalogChange, PluginWebhook, WorkerPlugin } from "../../../contract/plugin-worker";
import { getEntityJsonsByRefs } from "../../catalog/store/read";
import { ApiError } from "../../errors";
import { enqueueAll } from "../../jobs/enqueue";
import { PermanentJobError } from "../../jobs/errors";
import { createHookContext } from "../context";
import type { CatalogChangedJob, CatalogChangeRefs, PluginHookJob } from "./types";

const frozen = new WeakMap<WorkerPlugin, WorkerPlugin["manifest"]>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The plugin's manifest as the mount hands it out: a frozen copy the plugin's own code cannot change. */
function manifestOf(plugin: WorkerPlugin): WorkerPlugin["manifest"] {
  let m = frozen.get(plugin);
  if (!m) frozen.set(plugin, (m = deepFreeze(structuredClone(plugin.manifest))));
  return m;
}

export function findPlugin(plugins: readonly WorkerPlugin[], id: string): WorkerPlugin | undefined {
  return plugins.find((p) => p.manifest.id === id);
}

/** The change with each upserted entity as it is now; refs gone since then are left to the change that removed them. */
async function catalogChangeOf(db: D1Database, refs: CatalogChangeRefs): Promise<CatalogChange> {
  const jsons = refs.upserted.length ? await getEntityJsonsByRefs(db, refs.upserted.map((u) => u.ref)) : [];
  const upserted: CatalogChange["upserted"] = [];
  refs.upserted.forEach((u, i) => {
    const json = jsons[i];
    if (json === null || json === undefined) return;
    upserted.push({ ref: u.ref, entity: JSON.parse(json) as Record<string, unknown>, locationKey: u.locationKey, locationUrl: u.locationKey?.startsWith("url:") ? u.locationKey.slice(4) : null });
  });
  return { upserted, removed: [...refs.removed] };
}

async function webhookOf(env: Env, job: Extract<PluginHookJob, { hook: "webhook" }>): Promise<PluginWebhook> {
  let payload = job.payload;
  if (!payload && job.payloadKey) {
    const object = await env.BLOBS.get(job.payloadKey);
    if (!object) throw new PermanentJobError(`The parked body of GitHub delivery ${job.githubDelivery} is gone`);
    payload = JSON.parse(await object.text()) as Record<string, unknown>;
  }
  return { event: job.event, deliveryId: job.githubDelivery, payload: payload ?? {} };
}

export async function runPluginHook(job: PluginHookJob, env: Env, plugins: readonly WorkerPlugin[], waitUntil?: (p: Promise<unknown>) => void): Promise<string> {
  const plugin = findPlugin(plugins, job.pluginId);
  if (!plugin) throw new PermanentJobError(`No plugin '${job.pluginId}' is installed`);
  const hookName = job.hook === "job" ? "onJob" : job.hook === "webhook" ? "onWebhook" : "onCatalogChange";
  if (typeof plugin[hookName] !== "function") throw new PermanentJobError(`Plugin '${job.pluginId}' has no ${hookName} hook`);
  const ctx = createHookContext(env, manifestOf(plugin), waitUntil);
  try {
    if (job.hook === "job") await plugin.onJob!(job.payload, ctx);
    else if (job.hook === "webhook") await plugin.onWebhook!(await webhookOf(env, job), ctx);
    else await plugin.onCatalogChange!(await catalogChangeOf(env.DB, job.change), ctx);
  } catch (err) {
    // A refusal (bad key, full quota, not allowed) is the same on every attempt.
    if (err instanceof ApiError && err.status < 500) throw new PermanentJobError(`Plugin '${job.pluginId}' ${hookName}: ${err.name}: ${err.message}`);
    throw err;
  }
  return `plugin ${job.pluginId} ${hookName} done`;
}

/** One `plugin-hook` message per plugin with onCatalogChange. */
export async function fanOutCatalogChange(job: CatalogChangedJob, env: Env, plugins: readonly WorkerPlugin[]): Promise<string> {
  const listeners = plugins.filter((p) => typeof p.onCatalogChange === "function");
  const messages: PluginHookJob[] = listeners.map((p) => ({ type: "plugin-hook", pluginId: p.manifest.id, hook: "catalog-change", change: job.change }));
  await enqueueAll(env.JOBS, messages);
  return `catalog change sent to ${listeners.length} plugin(s)`;
}
