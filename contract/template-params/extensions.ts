/**
 * Backstage's scaffolder field extensions as data rules: the value each one produces and how it is checked
 * (the same checks Backstage's `validation` functions run in the browser), so the form and the worker agree.
 * OwnerPicker, EntityPicker, RepoUrlPicker, EntityNamePicker, EntityTagsPicker; Secret is in secrets.ts.
 */
import { isObject, own, type JsonObject } from "./json";

// ---------------------------------------------------------------------------------------------- RepoUrlPicker

/** What RepoUrlPicker edits. `host?owner=o&repo=r` (plus `organization`, `workspace`, `project` for other SCMs). */
export interface RepoUrlParts {
  host: string;
  owner?: string;
  repo?: string;
  organization?: string;
  workspace?: string;
  project?: string;
}

const REPO_URL_PARAMS = ["owner", "repo", "organization", "workspace", "project"] as const;

/** Backstage's serializeRepoPickerUrl: no host, no value. */
export function serializeRepoUrl(parts: Partial<RepoUrlParts>): string | undefined {
  const host = parts.host?.trim();
  if (!host) return undefined;
  const params = new URLSearchParams();
  for (const k of REPO_URL_PARAMS) {
    const v = parts[k]?.trim();
    if (v) params.set(k, v);
  }
  return `${host}?${params.toString()}`;
}

/** The inverse of serializeRepoUrl; undefined for a value that is not `host?query` (e.g. a full URL). */
export function parseRepoUrl(value: unknown): RepoUrlParts | undefined {
  if (typeof value !== "string" || !value) return undefined;
  const q = value.indexOf("?");
  const host = q >= 0 ? value.slice(0, q) : value;
  if (!host || /[\s/@#\\]/.test(host)) return undefined;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(q >= 0 ? value.slice(q + 1) : "");
  } catch {
    return undefined;
  }
  const parts: RepoUrlParts = { host };
  for (const k of REPO_URL_PARAMS) {
    const v = params.get(k);
    if (v) parts[k] = v;
  }
  return parts;
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
}

/** Bitbucket's addressing (workspace/project instead of owner), which Backstage decides by host. */
function isBitbucket(host: string): boolean {
  return host === "bitbucket.org" || host.startsWith("bitbucket.") || host.includes(".bitbucket.");
}

/** GitHub's repository name rule (and the owner rule, which is stricter); other hosts get the same check. */
const REPO_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const OWNER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9])?$/;

/** Backstage's repoPickerValidation plus `allowedHosts`/`allowedOwners`/`allowedRepos` from `ui:options`. */
export function repoUrlErrors(value: unknown, options: JsonObject): string[] {
  const parts = parseRepoUrl(value);
  if (!parts) return ["Unable to parse the Repository URL"];
  const errors: string[] = [];
  const allowedHosts = stringList(options.allowedHosts);
  if (allowedHosts?.length && !allowedHosts.includes(parts.host)) errors.push(`Host ${parts.host} is not allowed; choose one of ${allowedHosts.join(", ")}`);
  if (isBitbucket(parts.host)) {
    if (parts.host === "bitbucket.org" && !parts.workspace) errors.push("Incomplete repository location provided, workspace not provided");
    if (!parts.project) errors.push("Incomplete repository location provided, project not provided");
  } else if (!parts.owner) {
    errors.push("Incomplete repository location provided, owner not provided");
  } else if (!OWNER_NAME.test(parts.owner) && !parts.owner.includes("/")) {
    // GitLab owners may be nested groups (`group/subgroup`); everything else uses the GitHub rule.
    errors.push("Owner may contain only letters, digits, '-', '_' and '.'");
  }
  if (!parts.repo) errors.push("Incomplete repository location provided, repo not provided");
  else if (!REPO_NAME.test(parts.repo) || parts.repo === "." || parts.repo === "..") errors.push("Repository name may contain only letters, digits, '-', '_' and '.' (at most 100)");
  const allowedOwners = stringList(options.allowedOwners);
  if (parts.owner && allowedOwners?.length && !allowedOwners.includes(parts.owner)) errors.push(`Owner ${parts.owner} is not allowed; choose one of ${allowedOwners.join(", ")}`);
  const allowedRepos = stringList(options.allowedRepos);
  if (parts.repo && allowedRepos?.length && !allowedRepos.includes(parts.repo)) errors.push(`Repository ${parts.repo} is not allowed; choose one of ${allowedRepos.join(", ")}`);
  return errors;
}

/**
 * RepoUrlPicker's `requestUserCredentials: { secretsKey, additionalScopes }`: Backstage's form signs the user
 * in to the SCM and puts their OAuth token into `secrets[secretsKey]`, for actions' `token` input. The secret's
 * key, or undefined when the picker does not ask.
 */
export function userCredentialsKey(options: JsonObject): string | undefined {
  const req = own(options, "requestUserCredentials");
  if (!isObject(req)) return undefined;
  const key = own(req, "secretsKey");
  return typeof key === "string" && key ? key : undefined;
}

/**
 * Edgestage's GitHub sign-in asks for `read:user` only and keeps no token after sign-in (worker/identity), so
 * the portal has no user token to put there; a template that asks gets this error at its field instead of
 * running without the credentials it expected. An API caller may still pass its own token in `secrets`.
 */
export function userCredentialsMessage(key: string): string {
  return `This template asks for your own GitHub credentials (requestUserCredentials, secrets.${key}), which this deployment cannot provide: signing in with GitHub here keeps no user token. Ask the template's owner to remove requestUserCredentials (the portal's GitHub integration then publishes), or pass a token as secrets.${key} through the API.`;
}

// ---------------------------------------------------------------------------------------------- entity refs

export interface EntityRefParts {
  kind: string;
  namespace: string;
  name: string;
}

/** Backstage's parseEntityRef (`[kind:][namespace/]name`, defaults filled in); undefined when incomplete. */
export function parseEntityRefInput(value: unknown, defaults: { defaultKind?: string; defaultNamespace?: string } = {}): EntityRefParts | undefined {
  if (typeof value !== "string") return undefined;
  const v = value.trim();
  if (!v) return undefined;
  const colon = v.indexOf(":");
  const slash = v.indexOf("/");
  let kind = defaults.defaultKind;
  let rest = v;
  if (colon > 0 && (slash === -1 || colon < slash)) {
    kind = v.slice(0, colon);
    rest = v.slice(colon + 1);
  } else if (colon === 0) return undefined;
  const s = rest.indexOf("/");
  const namespace = s >= 0 ? rest.slice(0, s) : defaults.defaultNamespace ?? "default";
  const name = s >= 0 ? rest.slice(s + 1) : rest;
  if (!kind || !namespace || !name || name.includes("/") || name.includes(":")) return undefined;
  return { kind, namespace, name };
}

/** `kind:namespace/name`, lower-cased kind and namespace (names keep their case, as Backstage's stringifyEntityRef). */
export function stringifyEntityRefParts(ref: EntityRefParts): string {
  return `${ref.kind.toLocaleLowerCase("en-US")}:${ref.namespace.toLocaleLowerCase("en-US")}/${ref.name}`;
}

/** One catalog filter: keys AND'ed, a list of values OR'ed, `{ exists: true }` (CATALOG_FILTER_EXISTS) a presence check. */
export type CatalogFilter = Record<string, string | string[] | { exists: true }>;

/** `catalogFilter` from ui:options (object or array of objects, OR'ed), with allowedKinds folded in as a kind filter. */
export function catalogFilters(options: JsonObject, fallbackKinds?: readonly string[]): CatalogFilter[] {
  const raw = own(options, "catalogFilter");
  const list = Array.isArray(raw) ? raw.filter(isObject) : isObject(raw) ? [raw] : [];
  const filters: CatalogFilter[] = [];
  for (const f of list) {
    const out: CatalogFilter = {};
    for (const k of Object.keys(f)) {
      const v = f[k];
      if (typeof v === "string") out[k] = v;
      else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === "string");
      else if (isObject(v) && v.exists === true) out[k] = { exists: true };
    }
    filters.push(out);
  }
  if (filters.length) return filters;
  const kinds = stringList(options.allowedKinds) ?? (fallbackKinds ? [...fallbackKinds] : undefined);
  return kinds?.length ? [{ kind: kinds }] : [];
}

/**
 * Catalog filters as the `filter=` query values of GET /api/catalog/entities/by-query (one value per filter:
 * `kind=group,kind=user,spec.type=team`); commas cannot be escaped there, so values holding one are dropped.
 */
export function catalogFilterQuery(filters: readonly CatalogFilter[]): string[] {
  const out: string[] = [];
  for (const f of filters) {
    const parts: string[] = [];
    for (const key of Object.keys(f)) {
      if (key.includes(",") || key.includes("=")) continue;
      const v = f[key]!;
      if (typeof v === "object" && !Array.isArray(v)) parts.push(key);
      else for (const x of typeof v === "string" ? [v] : v) if (!x.includes(",")) parts.push(`${key}=${x}`);
    }
    if (parts.length) out.push(parts.join(","));
  }
  return out;
}

/** The kinds a filter list limits the picker to (lower-cased), or undefined when any kind goes. */
export function allowedKindsOf(filters: readonly CatalogFilter[]): string[] | undefined {
  if (!filters.length) return undefined;
  const kinds = new Set<string>();
  for (const f of filters) {
    const k = Object.hasOwn(f, "kind") ? f.kind : undefined;
    if (k === undefined || (typeof k === "object" && !Array.isArray(k))) return undefined; // one filter allows any kind
    for (const x of typeof k === "string" ? [k] : k) kinds.add(x.toLocaleLowerCase("en-US"));
  }
  return [...kinds];
}

export const OWNER_PICKER_KINDS = ["Group", "User"] as const;

/**
 * How a typed entity ref is completed: `ui:options.defaultKind`, else the only allowed kind, else (OwnerPicker)
 * Group, as Backstage's OwnerPicker does; the namespace defaults to `default`.
 */
export function entityRefDefaults(options: JsonObject, fallbackKinds?: readonly string[]): { defaultKind?: string; defaultNamespace?: string } {
  const kinds = allowedKindsOf(catalogFilters(options, fallbackKinds));
  const defaultKind = typeof options.defaultKind === "string" && options.defaultKind ? options.defaultKind : kinds?.length === 1 ? kinds[0] : fallbackKinds?.[0];
  const defaultNamespace = typeof options.defaultNamespace === "string" && options.defaultNamespace ? options.defaultNamespace : undefined;
  return { ...(defaultKind ? { defaultKind } : {}), ...(defaultNamespace ? { defaultNamespace } : {}) };
}

/** OwnerPicker / EntityPicker: a parseable entity ref whose kind the picker's filters allow. */
export function entityRefErrors(value: unknown, options: JsonObject, fallbackKinds?: readonly string[]): string[] {
  const ref = parseEntityRefInput(value, entityRefDefaults(options, fallbackKinds));
  if (!ref) return ["Must be an entity reference such as group:default/team-a"];
  const kinds = allowedKindsOf(catalogFilters(options, fallbackKinds));
  if (kinds && !kinds.includes(ref.kind.toLocaleLowerCase("en-US"))) return [`Must be a ${kinds.join(" or ")}`];
  return [];
}

// ---------------------------------------------------------------------------------------------- names and tags

/** Backstage's KubernetesValidatorFunctions.isValidObjectName (entity names). */
export function isValidEntityName(value: unknown): boolean {
  return typeof value === "string" && value.length >= 1 && value.length <= 63 && /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(value);
}

export const ENTITY_NAME_MESSAGE =
  "Must start and end with an alphanumeric character, and contain only alphanumeric characters, hyphens, underscores, and periods. Maximum length is 63 characters.";

/** Backstage's tag rule (catalog-model `isValidTag`, used by EntityTagsPicker). */
export function isValidTag(value: unknown): boolean {
  return typeof value === "string" && value.length >= 1 && value.length <= 63 && /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/.test(value);
}

export const TAG_MESSAGE = "Tags must be lower case and may contain letters, digits, ':', '+', '#' separated by single '-' (at most 63 characters)";

export function tagErrors(value: unknown): string[] {
  if (!Array.isArray(value)) return ["Must be a list of tags"];
  const bad = value.filter((t) => !isValidTag(t));
  const errors = bad.length ? [`${TAG_MESSAGE}: ${bad.slice(0, 3).map((t) => JSON.stringify(t)).join(", ")}`] : [];
  if (new Set(value).size !== value.length) errors.push("Tags must be unique");
  return errors;
}

/** The errors the field extension named by `ui:field` adds for a present value (required is the schema's job). */
export function extensionErrors(field: unknown, value: unknown, options: JsonObject): string[] {
  switch (field) {
    case "RepoUrlPicker":
      return repoUrlErrors(value, options);
    case "EntityNamePicker":
      return isValidEntityName(value) ? [] : [ENTITY_NAME_MESSAGE];
    case "EntityTagsPicker":
      return tagErrors(value);
    case "OwnerPicker":
      return entityRefErrors(value, options, OWNER_PICKER_KINDS);
    case "EntityPicker":
      return entityRefErrors(value, options);
    default:
      return [];
  }
}
