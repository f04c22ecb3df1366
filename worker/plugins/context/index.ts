/**
 * createPluginContext(): everything a plugin's code receives, for one request or one hook call, built from
 * the deployment's environment without handing any of it over: its validated config, its declared secrets,
 * its storage, blobs, search slice, catalog reads, sources, jobs, problems and fetch, and who is calling. Pieces that
 * touch a binding are built on first use, so a route that reads only its config pays for nothing else.
 */
import type { PluginManifest } from "../../../contract/plugin";
import type { PluginCaller, PluginContext } from "../../../contract/plugin-worker";
import { createPluginBlobs, type BlobLimits } from "./blobs";
import { createPluginCatalog } from "./catalog";
import { pluginConfig } from "./config";
import { createPluginFetch } from "./fetch";
import { createPluginJobs } from "./jobs";
import { createPluginSearch, type SearchLimits } from "./search";
import { createPluginProblems } from "./problems";
import { pluginSecrets } from "./secrets";
import { createPluginSources } from "./sources";
import { createPluginStorage, type StorageLimits } from "./storage";

import { pluginServiceCaller } from "./caller";

export { pluginCaller, pluginServiceCaller } from "./caller";

export interface PluginContextInput {
  env: Env;
  manifest: PluginManifest;
  caller: PluginCaller;
  /** The request's or the hook's waitUntil; work is simply awaited by nobody when there is none. */
  waitUntil?: (promise: Promise<unknown>) => void;
  storageLimits?: StorageLimits;
  blobLimits?: BlobLimits;
  searchLimits?: SearchLimits;
}

const fetchers = new WeakMap<PluginManifest, PluginContext["fetch"]>();

/** Throws a 503 ApiError when the plugin's config is invalid: a plugin never runs on config it did not ask for. */
export function createPluginContext({ env, manifest, caller, waitUntil, storageLimits, blobLimits, searchLimits }: PluginContextInput): PluginContext {
  const id = manifest.id;
  const config = pluginConfig(env, manifest);
  const secrets = pluginSecrets(env, manifest);
  let fetcher = fetchers.get(manifest);
  if (!fetcher) fetchers.set(manifest, (fetcher = createPluginFetch(id, manifest.hosts)));
  const lazy = <T>(make: () => T) => {
    let value: T | undefined;
    return () => (value ??= make());
  };
  const storage = lazy(() => createPluginStorage(env.DB, id, storageLimits));
  const blobs = lazy(() => createPluginBlobs(env.BLOBS, id, blobLimits));
  const search = lazy(() => createPluginSearch(env.DB, id, searchLimits));
  const catalog = lazy(() => createPluginCatalog(env.DB, caller));
  const sources = lazy(() => createPluginSources(env, id));
  const jobs = lazy(() => createPluginJobs(env.JOBS, id));
  const problems = lazy(() => createPluginProblems(env.DB, id));
  const fetch = fetcher;
  return Object.freeze({
    id,
    manifest,
    config,
    secrets,
    caller,
    get storage() {
      return storage();
    },
    get blobs() {
      return blobs();
    },
    get search() {
      return search();
    },
    get catalog() {
      return catalog();
    },
    get sources() {
      return sources();
    },
    get jobs() {
      return jobs();
    },
    get problems() {
      return problems();
    },
    fetch,
    waitUntil(promise: Promise<unknown>) {
      const settled = promise.catch((err) => console.error(`plugin ${id}: background work failed`, err));
      waitUntil?.(settled);
    },
  });
}

/**
 * The context for a plugin's hooks (onJob, onWebhook, onCatalogChange): no request, so no caller; the plugin
 * acts as its own service identity, which may read the catalog and nothing else.
 */
export function createHookContext(env: Env, manifest: PluginManifest, waitUntil?: (promise: Promise<unknown>) => void): PluginContext {
  return createPluginContext({ env, manifest, caller: pluginServiceCaller(manifest.id), waitUntil });
}
