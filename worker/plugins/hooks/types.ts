/**
 * Queue messages that run a plugin's hook (worker/plugins/hooks/run.ts): a job it enqueued itself, a GitHub
 * webhook it subscribes to, or a catalog change. One message per plugin, so a slow or failing plugin is
 * retried and dead-lettered on its own and never holds up ingestion or another plugin.
 */
import type { JsonValue } from "../../../contract/plugin-worker";

/** Refs a location refresh upserted (with the location key they came from) and removed; entities are read at delivery. */
export interface CatalogChangeRefs {
  upserted: { ref: string; locationKey: string | null }[];
  removed: string[];
}

export type PluginHookJob =
  | { type: "plugin-hook"; pluginId: string; hook: "job"; payload: JsonValue }
  | {
      type: "plugin-hook";
      pluginId: string;
      hook: "webhook";
      event: string;
      githubDelivery: string;
      /** The verified body when it fits in a message, else the BLOBS key it was parked under. */
      payload?: Record<string, unknown>;
      payloadKey?: string;
    }
  | { type: "plugin-hook"; pluginId: string; hook: "catalog-change"; change: CatalogChangeRefs };

/** A catalog change not yet fanned out to the plugins that listen (the consumer knows the installed plugins). */
export type CatalogChangedJob = { type: "catalog-changed"; change: CatalogChangeRefs };
