/**
 * The permission names routes declare with `authorize(...)`, and what each lets a caller do. Plugins add
 * their own names under `plugin.<id>.` (declared on the plugin, granted through the policy); each proxy
 * endpoint has `proxy.<name>.read` (GET, HEAD) and `proxy.<name>.write` (every other method).
 */
export const CORE_PERMISSIONS = {
  "catalog.entity.read": "read entities, facets, search, changes, processing errors and the graph",
  "catalog.entity.validate": "validate an entity without storing it",
  "catalog.entity.refresh": "schedule a refresh of an entity's location",
  "catalog.entity.delete": "delete an entity",
  "catalog.location.read": "read registered locations",
  "catalog.location.create": "register locations and push files (catalog:load)",
  "catalog.location.delete": "delete a location and its entities",
  "github.read": "read indexed repositories and import progress",
  "github.admin": "run imports and the sweep, read webhook deliveries",
  "jobs.admin": "read and replay dead letters",
  "identity.token.manage": "create, list and revoke service tokens",
  "identity.audit.read": "read the audit log",
  "scaffolder.action.list": "list the template actions",
  "scaffolder.template.parameter.read": "read a template's parameter schema",
  "scaffolder.task.create": "run software templates (create tasks, dry runs); a template may narrow who runs it",
  "scaffolder.task.read": "read tasks and their logs",
  "scaffolder.task.cancel": "cancel tasks one created",
  "scaffolder.task.admin": "cancel anyone's task and run every template",
} as const;

export type CorePermission = keyof typeof CORE_PERMISSIONS;
export type PluginPermission = `plugin.${string}.${string}`;
export type ProxyPermission = `proxy.${string}.${"read" | "write"}`;
export type Permission = CorePermission | PluginPermission | ProxyPermission;

/** Permissions that change nothing: a POST guarded by one (by-refs, by-query, validate) is a read, not audited. */
const READS: ReadonlySet<string> = new Set([
  "catalog.entity.read",
  "catalog.entity.validate",
  "catalog.location.read",
  "github.read",
  "identity.audit.read",
  "scaffolder.action.list",
  "scaffolder.template.parameter.read",
  "scaffolder.task.read",
]);

/** Endpoint names as worker/proxy/config.ts accepts them: lower-case words joined by single '-'. */
const PROXY_PERMISSION = /^proxy\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.(read|write)$/;

export const isReadPermission = (p: Permission): boolean => READS.has(p) || (PROXY_PERMISSION.test(p) && p.endsWith(".read"));

const PLUGIN_PERMISSION = /^plugin\.[a-z][a-z0-9-]{0,39}\.[a-z][a-z0-9-]{0,39}$/;

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && (Object.hasOwn(CORE_PERMISSIONS, value) || PLUGIN_PERMISSION.test(value) || (value.length <= 60 && PROXY_PERMISSION.test(value)));
}
