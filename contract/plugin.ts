/**
 * The plugin manifest: what a plugin is, declared once in `plugins/<id>/plugin.ts` and read by both the
 * worker (mounting, permissions, config, hosts) and the portal (nav, entity tabs and cards). It is plain
 * data so the installed-plugins page can show it and predicates can be evaluated on either side.
 * This module is pure: no Hono, no Solid, no worker runtime.
 */

/** JSON Schema (draft 2020-12 subset the @cfworker/json-schema validator understands) for a plugin's config section. */
export type JsonSchema = { [key: string]: unknown };

/** When a tab or card shows: every listed condition must hold (an empty predicate always holds). */
export interface EntityPredicate {
  /** Entity kind, case-insensitive (`API`, `Component`). */
  kind?: string | readonly string[];
  /** `spec.type`, case-insensitive (`openapi`, `service`). */
  type?: string | readonly string[];
  /** An annotation that must be present and non-empty (`github.com/project-slug`). */
  annotation?: string | readonly string[];
}

export interface PluginNavEntry {
  /** Absolute portal path the page is mounted at, e.g. `/api-docs`; the page owns everything under it. */
  path: string;
  title: string;
  /** Name of one of the icons in web/src/components/Icon.tsx. */
  icon?: string;
}

export interface PluginEntityTab {
  /** Tab id, the `?tab=` value; unique within the plugin (the portal prefixes nothing: keep it descriptive). */
  id: string;
  title: string;
  icon?: string;
  when?: EntityPredicate;
}

/** Core overview cards a plugin card may stand in for (it shows the same thing, better). */
export const REPLACEABLE_CORE_CARDS = ["apis"] as const;
export type ReplaceableCoreCard = (typeof REPLACEABLE_CORE_CARDS)[number];

export interface PluginEntityCard {
  id: string;
  title: string;
  when?: EntityPredicate;
  /** A core card this one stands in for: where this card shows, the core card does not (two "APIs" cards otherwise). */
  replaces?: ReplaceableCoreCard;
}

export interface PluginPermission {
  /** `plugin.<id>.<word>`, e.g. `plugin.hello.write`. */
  name: string;
  description: string;
}

export interface PluginManifest {
  /** Lower-case id (`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`, ≤ 40 chars): URL segment, config key, storage namespace. */
  id: string;
  title: string;
  /** Semver of the plugin itself, shown on the installed-plugins page. */
  version: string;
  description?: string;
  icon?: string;
  /** Sidebar entries; each is a page of the plugin's web part. */
  nav?: readonly PluginNavEntry[];
  entityTabs?: readonly PluginEntityTab[];
  entityCards?: readonly PluginEntityCard[];
  /** Schema of the plugin's config section (PLUGIN_CONFIG_<ID>, JSON); validated before the plugin sees it. */
  config?: JsonSchema;
  /** Names of the secrets it needs (PLUGIN_<ID>__<NAME>); only these are read, and only by this plugin. */
  secrets?: readonly string[];
  /** Hosts its `fetch` may reach (exact names or `*.example.com`), still through the outbound policy. */
  hosts?: readonly string[];
  /** Permissions it defines, for its own write routes. */
  permissions?: readonly PluginPermission[];
  /** GitHub webhook events it subscribes to (`push`, `pull_request`, ...). */
  webhooks?: readonly string[];
}

export const PLUGIN_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Identity helper that keeps the manifest's literal types while checking its shape. */
export function definePlugin<const M extends PluginManifest>(manifest: M): M {
  return manifest;
}

function list(v: string | readonly string[] | undefined): readonly string[] | undefined {
  return v === undefined ? undefined : typeof v === "string" ? [v] : v;
}

/** The minimal entity shape a predicate reads, so the portal's partial entities qualify too. */
export interface PredicateEntity {
  kind?: string;
  metadata?: { annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export function matchesEntity(predicate: EntityPredicate | undefined, entity: PredicateEntity): boolean {
  if (!predicate) return true;
  const kinds = list(predicate.kind);
  if (kinds && !kinds.some((k) => k.toLowerCase() === (entity.kind ?? "").toLowerCase())) return false;
  const types = list(predicate.type);
  const type = typeof entity.spec?.type === "string" ? entity.spec.type.toLowerCase() : "";
  if (types && !types.some((t) => t.toLowerCase() === type)) return false;
  const annotations = list(predicate.annotation);
  if (annotations && !annotations.every((a) => Boolean(entity.metadata?.annotations?.[a]))) return false;
  return true;
}

/** One entry of `GET /api/plugins`: a worker plugin as mounted, without secret or config values. */
export interface InstalledPlugin {
  id: string;
  title: string;
  version: string;
  description: string | null;
  icon: string | null;
  nav: readonly PluginNavEntry[];
  entityTabs: readonly PluginEntityTab[];
  entityCards: readonly PluginEntityCard[];
  permissions: readonly PluginPermission[];
  hosts: readonly string[];
  /** Which of the secrets it names are set (never their values). */
  secrets: readonly { name: string; configured: boolean }[];
  webhooks: readonly string[];
  config: { valid: true } | { valid: false; message: string };
  routes: readonly { method: string; path: string; permission: string }[];
}

export interface InstalledPluginsResponse {
  items: InstalledPlugin[];
}
