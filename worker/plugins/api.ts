/**
 * The public worker-side plugin API: the only worker module plugin code may import. A plugin's worker part
 * is `definePluginWorker(manifest, { app: pluginRouter()... , onJob?, onWebhook?, onCatalogChange? })`; its
 * handlers read `c.env.plugin` (a PluginContext) and throw ApiError to answer in the API's error shape.
 */
import type { PluginManifest } from "../../contract/plugin";
import type { WorkerPlugin, WorkerPluginParts } from "../../contract/plugin-worker";
import type { PluginRouter } from "./router";

export { ApiError, type ErrorName } from "../errors";
export { pluginRouter, PluginRouter, type PluginRoute, type PluginRouteMethod, type PluginRouteOptions } from "./router";
export { definePlugin, matchesEntity, PLUGIN_ID } from "../../contract/plugin";
/** Software template actions a plugin adds (call at module load, from the plugin's worker.ts). */
export { registerTemplateAction, type PluginActionContext, type PluginTemplateAction } from "../scaffolder/actions/plugin-actions";
export type * from "../../contract/plugin";
export type * from "../../contract/plugin-worker";

export interface PluginWorkerParts extends Omit<WorkerPluginParts, "app"> {
  /** The plugin's routes under /api/plugins/<id>/; each declares its permission. */
  app?: PluginRouter;
}

export function definePluginWorker(manifest: PluginManifest, parts: PluginWorkerParts = {}): WorkerPlugin {
  const { app, ...hooks } = parts;
  return { manifest, ...hooks, ...(app ? { app: app.app } : {}) };
}
