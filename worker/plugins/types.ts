/**
 * What a worker plugin is: a Hono sub-app mounted at /api/plugins/<id>. It receives only its own slice of
 * the deployment: config and secrets named PLUGIN_<ID>_* (prefix stripped) and a key/value store scoped to
 * its id, as `c.env.plugin`. The worker's own bindings are not passed to it.
 */
import type { Hono } from "hono";
import type { Permission } from "../access";

export interface PluginStorage {
  get<T = unknown>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  list(prefix?: string): Promise<{ key: string; value: unknown }[]>;
}

export interface PluginContext {
  id: string;
  /** PLUGIN_<ID>_<NAME> vars and secrets, keyed by <NAME>. */
  config: Readonly<Record<string, string>>;
  storage: PluginStorage;
}

/** A plugin's Hono environment: its handlers read `c.env.plugin`, and nothing else of the worker. */
export type PluginEnv = { Bindings: { plugin: PluginContext }; Variables: { requestId: string } };

export interface WorkerPlugin {
  /** Lower-case id: the URL segment, the config prefix and the storage namespace. */
  id: string;
  title: string;
  /** Permission its GET and HEAD routes need (checked by the access seam before the plugin runs); default catalog.entity.read. */
  permission?: Permission;
  /** Permission every other method needs, e.g. `plugin.<id>.write` granted through the policy. Undeclared: writes are refused. */
  writePermission?: Permission;
  app: Hono<PluginEnv>;
}
