/**
 * The web half of the public plugin API (types only). A plugin's web part, `plugins/<id>/web/index.ts`,
 * default-exports `{ manifest, pages, entityTabs, entityCards }` whose values are dynamic imports, so no plugin
 * code is in the portal's initial JS; the portal wraps each slot in its own error boundary.
 */
import type { Component } from "solid-js";
import type { PluginManifest } from "./plugin";

/** What the portal hands a plugin's components: its own API and the catalog, nothing of the portal's internals. */
export interface WebPluginApi {
  readonly pluginId: string;
  /** fetch against the plugin's own worker routes: `api.fetch("/items")` → `/api/plugins/<id>/items`; JSON errors throw. */
  fetchJson<T>(path: string, init?: RequestInit): Promise<T>;
  /** Backstage-shaped catalog reads, as the signed-in user. */
  catalog: {
    getEntityByRef(ref: string): Promise<Record<string, unknown> | undefined>;
    queryEntities(options: { filter?: string | string[]; fields?: string[]; limit?: number; cursor?: string; fullTextFilterTerm?: string }): Promise<{
      items: Record<string, unknown>[];
      totalItems: number;
      pageInfo: { nextCursor?: string };
    }>;
  };
}

export interface PluginPageProps {
  api: WebPluginApi;
}

export interface PluginEntityProps {
  api: WebPluginApi;
  entity: Record<string, unknown>;
}

type Lazy<P extends Record<string, any>> = () => Promise<{ default: Component<P> }>;

export interface WebPlugin {
  manifest: PluginManifest;
  /** Keyed by nav entry path. */
  pages?: Record<string, Lazy<PluginPageProps>>;
  /** Keyed by entity tab id. */
  entityTabs?: Record<string, Lazy<PluginEntityProps>>;
  /** Keyed by entity card id. */
  entityCards?: Record<string, Lazy<PluginEntityProps>>;
}

export function definePluginWeb(plugin: WebPlugin): WebPlugin {
  return plugin;
}
