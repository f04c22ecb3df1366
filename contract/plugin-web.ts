/**
 * The web half of the public plugin API (types only). A plugin's web part, `plugins/<id>/web/index.ts`,
 * default-exports `{ manifest, pages, entityTabs, entityCards }` whose values are dynamic imports, so no plugin
 * code is in the portal's initial JS; the portal wraps each slot in its own error boundary.
 */
import type { Component } from "solid-js";
import type { QueryEntitiesResponse } from "./catalog-api";
import type { Entity, PartialEntity } from "./entity";
import type { PluginManifest } from "./plugin";

/** What the portal hands a plugin's components: its own API and the catalog, nothing of the portal's internals. */
export interface WebPluginApi {
  readonly pluginId: string;
  /** JSON from the plugin's own worker routes: `api.fetchJson("/items")` → `/api/plugins/<id>/items`; an error answer throws an Error with the API's name, message and status. */
  fetchJson<T>(path: string, init?: RequestInit): Promise<T>;
  /** Backstage-shaped catalog reads, as the signed-in user. */
  catalog: {
    /** undefined when there is no such entity (or the user may not read it). */
    getEntityByRef(ref: string): Promise<Entity | undefined>;
    /** `GET /api/catalog/entities/by-query`: Backstage's `filter` syntax, cursor pages, `fields` projection. */
    queryEntities(options: { filter?: string | string[]; fields?: string[]; limit?: number; cursor?: string; fullTextFilterTerm?: string }): Promise<QueryEntitiesResponse<PartialEntity>>;
  };
}

export interface PluginPageProps {
  api: WebPluginApi;
}

export interface PluginEntityProps {
  api: WebPluginApi;
  /** The entity the page shows, as the catalog API serves it. */
  entity: Entity;
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
