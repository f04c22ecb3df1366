/**
 * Mount-time checks of what plugins declare: manifests (id, version, hosts, permissions, secret names,
 * config schema) and each route's permission. A plugin that fails any of them stops the worker from
 * building its app, with a message naming the plugin and the rule, instead of running half-isolated.
 */
import { PLUGIN_ID, type PluginManifest, REPLACEABLE_CORE_CARDS } from "../../contract/plugin";
import type { WorkerPlugin } from "../../contract/plugin-worker";
import { CORE_PERMISSIONS, isPermission, isReadPermission, type Permission } from "../identity/permissions";
import { refusedHost } from "../net/address";
import { checkConfigSchema } from "./context/config";
import { SECRET_NAME } from "./context/names";
import { declaredRoutes, type PluginRoute } from "./router";

const MAX_ID = 40;
const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
const HOST = new RegExp(`^(\\*\\.)?${LABEL}(\\.${LABEL})*(:\\d{1,5})?$`);
const WORD = /^[a-z][a-z0-9-]{0,39}$/;
const EVENT = /^[a-z][a-z_]{0,63}$/;

function fail(id: string, message: string): never {
  throw new Error(`plugin '${id}': ${message}`);
}

function unique(id: string, what: string, values: readonly string[]): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) fail(id, `${what} '${v}' is declared twice`);
    seen.add(v);
  }
}

export function checkManifest(m: PluginManifest): void {
  const id = typeof m?.id === "string" ? m.id : String(m?.id);
  if (!PLUGIN_ID.test(id) || id.length > MAX_ID) fail(id, `ids are lower-case words joined by single '-', at most ${MAX_ID} characters`);
  if (typeof m.title !== "string" || !m.title.trim()) fail(id, "title must be a non-empty string");
  if (typeof m.version !== "string" || !VERSION.test(m.version)) fail(id, `version '${m.version}' is not a semantic version (1.2.3)`);
  for (const host of m.hosts ?? []) {
    if (typeof host !== "string" || !HOST.test(host)) fail(id, `host '${host}' is not a host name or '*.domain' (no scheme, path, userinfo or upper case)`);
    const bare = host.replace(/^\*\./, "").replace(/:\d+$/, "");
    const refused = refusedHost(bare);
    if (refused) fail(id, `host '${host}' can never be fetched: ${refused}`);
  }
  unique(id, "host", m.hosts ?? []);
  for (const p of m.permissions ?? []) {
    const word = typeof p?.name === "string" && p.name.startsWith(`plugin.${id}.`) ? p.name.slice(`plugin.${id}.`.length) : null;
    if (word === null || !WORD.test(word) || !isPermission(p.name)) fail(id, `permission '${p?.name}' must be named plugin.${id}.<word>`);
    if (typeof p.description !== "string" || !p.description.trim()) fail(id, `permission '${p.name}' needs a description`);
  }
  unique(id, "permission", (m.permissions ?? []).map((p) => p.name));
  for (const s of m.secrets ?? []) {
    if (typeof s !== "string" || !SECRET_NAME.test(s)) fail(id, `secret '${s}' must be upper-case words joined by single '_' (API_TOKEN)`);
  }
  unique(id, "secret", m.secrets ?? []);
  for (const e of m.webhooks ?? []) if (typeof e !== "string" || !EVENT.test(e)) fail(id, `webhook event '${e}' is not a GitHub event name`);
  if (m.config !== undefined && (m.config === null || typeof m.config !== "object" || Array.isArray(m.config))) fail(id, "config must be a JSON Schema object");
  checkConfigSchema(m);
  for (const nav of m.nav ?? []) if (typeof nav.path !== "string" || !nav.path.startsWith("/") || nav.path.startsWith("/api")) fail(id, `nav path '${nav.path}' must be a portal path outside /api`);
  unique(id, "entity tab", (m.entityTabs ?? []).map((t) => t.id));
  unique(id, "entity card", (m.entityCards ?? []).map((t) => t.id));
  for (const card of m.entityCards ?? []) {
    if (card.replaces !== undefined && !(REPLACEABLE_CORE_CARDS as readonly string[]).includes(card.replaces)) {
      fail(id, `entity card '${card.id}' replaces '${card.replaces}', which is not a core card (${REPLACEABLE_CORE_CARDS.join(", ")})`);
    }
  }
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether `permission` is one this plugin may put on a route: a core one, or one its manifest defines. */
function usable(m: PluginManifest, permission: string): permission is Permission {
  if (Object.hasOwn(CORE_PERMISSIONS, permission)) return true;
  return (m.permissions ?? []).some((p) => p.name === permission);
}

/** The plugin's routes with their permissions checked; throws naming the first route that breaks a rule. */
export function checkRoutes(plugin: WorkerPlugin): readonly (PluginRoute & { permission: Permission })[] {
  const m = plugin.manifest;
  if (!plugin.app) return [];
  const routes = declaredRoutes(plugin.app);
  if (!routes) fail(m.id, "its routes must be built with pluginRouter() from worker/plugins/api.ts, so each declares its permission");
  for (const r of routes) {
    if (!usable(m, r.permission)) {
      fail(m.id, `${r.method} ${r.path} needs '${r.permission}', which is neither a core permission nor one its manifest defines (plugin.${m.id}.<word>)`);
    }
    if (WRITE_METHODS.has(r.method) && isReadPermission(r.permission)) {
      fail(m.id, `${r.method} ${r.path} is a write guarded by the read permission '${r.permission}': declare a write permission (plugin.${m.id}.write)`);
    }
  }
  return routes as readonly (PluginRoute & { permission: Permission })[];
}
