/**
 * The worker half of the public plugin API (types only). A plugin's worker part is `definePluginWorker(manifest, parts)`
 * from worker/plugins/api.ts; its handlers and hooks receive a PluginContext and nothing else of the worker:
 * no bindings, no env, no caller credentials.
 */
import type { Hono } from "hono";
import type { PluginManifest } from "./plugin";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Who is calling, without their credentials. */
export interface PluginCaller {
  type: "user" | "service" | "anonymous";
  /** `user:default/jane` for users, the token's name for services, null for anonymous callers. */
  ref: string | null;
  /** The user's own ref plus the groups they belong to (ownership claims). */
  ownershipRefs: readonly string[];
  /** Whether the policy grants the caller a permission (catalog.*, plugin.<id>.*). */
  can(permission: string): boolean;
}

/** One row of a storage table. */
export interface StoredRow<T = JsonValue> {
  key: string;
  value: T;
  updatedAt: number;
}

export interface StorageListOptions {
  prefix?: string;
  /** Resume after this key (exclusive), from a previous page's `nextCursor`. */
  cursor?: string;
  /** ≤ 1000, default 100. */
  limit?: number;
}

/** A table in the plugin's storage: keys are strings ≤ 512 bytes, values JSON ≤ 512 KiB, ordered by key. */
export interface PluginTable<T = JsonValue> {
  get(key: string): Promise<T | undefined>;
  put(key: string, value: T): Promise<void>;
  /** Writes the row only when the key is absent: true when this call wrote it (an atomic claim, e.g. a lease). */
  create(key: string, value: T): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  list(options?: StorageListOptions): Promise<{ items: StoredRow<T>[]; nextCursor?: string }>;
  /** Deletes every row whose key starts with prefix; returns how many went. */
  deletePrefix(prefix: string): Promise<number>;
}

/** The plugin's storage, namespaced by its id, with quotas on rows and bytes across all its tables. */
export interface PluginStorage {
  table<T = JsonValue>(name: string): PluginTable<T>;
  /** Rows and bytes used, against the quota. */
  usage(): Promise<{ rows: number; bytes: number; maxRows: number; maxBytes: number }>;
}

/** Objects (pages, images) in the shared bucket under the plugin's own prefix. */
export interface PluginBlobs {
  get(key: string): Promise<{ body: ReadableStream; contentType: string; etag: string; size: number } | null>;
  put(key: string, data: ArrayBuffer | Uint8Array | string, options?: { contentType?: string }): Promise<void>;
  delete(keys: string | readonly string[]): Promise<void>;
  list(prefix?: string): Promise<{ key: string; size: number; etag: string }[]>;
}

/** A document in the plugin's slice of the full-text index; returned by the global search next to entities. */
export interface SearchDocument {
  /** Unique within the plugin, e.g. `component:default/x#getting-started`. */
  id: string;
  /** The entity the document belongs to (lower-cased ref). */
  entityRef: string;
  title: string;
  /** A heading or breadcrumb shown with the hit. */
  section?: string;
  text: string;
  /** Portal path the hit links to. */
  path: string;
}

export interface SearchHit {
  id: string;
  entityRef: string;
  title: string;
  section: string | null;
  path: string;
  /** Snippet with matches wrapped in `<mark>` (everything else HTML-escaped). */
  snippet: string;
}

export interface PluginSearch {
  index(docs: readonly SearchDocument[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  removeEntity(entityRef: string): Promise<void>;
  query(q: string, options?: { entityRef?: string; limit?: number }): Promise<SearchHit[]>;
}

/** Read-only catalog client; answers only what the caller (or, in jobs and hooks, the plugin's service identity) may read. */
export interface PluginCatalog {
  getEntityByRef(ref: string): Promise<Record<string, unknown> | undefined>;
  getEntitiesByRefs(refs: readonly string[]): Promise<(Record<string, unknown> | null)[]>;
  /** Backstage's `filter` syntax (`kind=api,spec.type=openapi`), cursor pages. */
  queryEntities(options?: { filter?: string | readonly string[]; limit?: number; cursor?: string; fields?: readonly string[] }): Promise<{
    items: Record<string, unknown>[];
    totalItems: number;
    nextCursor?: string;
  }>;
}

/** Reading repository files (GitHub through the deployment's credentials, which the plugin never sees). */
export interface PluginSources {
  /** Text or bytes of one file by its GitHub blob URL (`https://github.com/o/r/blob/<ref>/<path>`). */
  readFile(url: string): Promise<Uint8Array>;
  /** Every file under a tree URL (`https://github.com/o/r/tree/<ref>/<dir>`): its path relative to `<dir>`, blob URL, git sha and size. */
  listTree(url: string): Promise<{ path: string; url: string; sha: string; size: number }[]>;
  /** The last commit that touched a file (blob URL) or folder (tree URL): sha, author, ISO date; null when none did. */
  lastCommit(url: string): Promise<{ sha: string; author: string | null; date: string | null } | null>;
  /** The commit a blob or tree URL's ref names now (a branch's head, as a 40-hex sha); null when it names none. */
  resolveCommit(url: string): Promise<string | null>;
}

export interface PluginJobs {
  /** Enqueues a job for this plugin's `onJob` on the shared queue. */
  enqueue(payload: JsonValue, options?: { delaySeconds?: number }): Promise<void>;
}

/**
 * A problem a plugin found with an entity (a docs build that failed, ...): listed with the entity's processing
 * errors (`status.items`, `GET /api/catalog/processing-errors`, entity-info) and shown on its page, named as
 * the plugin's.
 */
export interface PluginProblem {
  /** An error name: a letter, then letters and digits, ≤ 64 (`MkdocsError`, `InputError`). */
  name: string;
  /** ≤ 2,000 characters. */
  message: string;
  /** The field or file the problem is about (`mkdocs.yml`), ≤ 500 characters. */
  field?: string | null;
  /** 1-based line in that file. */
  line?: number | null;
  /** The commit the plugin read (40 hex digits). */
  commitSha?: string | null;
}

/**
 * The problems this plugin records against entities, kept with the catalog's processing errors. Scoped to the
 * plugin: it replaces, clears and lists only what it recorded itself, never the catalog's own errors or
 * another plugin's. At most 20 per entity; they go when the entity leaves the catalog.
 */
export interface PluginProblems {
  /**
   * Replaces this plugin's problems on the entity with `problems` (an empty list clears them). Recording
   * problems needs the entity in the catalog (else NotFoundError); writing what is already there changes nothing.
   */
  replace(entityRef: string, problems: readonly PluginProblem[]): Promise<void>;
  /** Removes this plugin's problems on the entity, if any (the entity need not exist). */
  clear(entityRef: string): Promise<void>;
  /** This plugin's problems on the entity, in the order they were recorded. */
  list(entityRef: string): Promise<PluginProblem[]>;
}

export interface PluginContext {
  readonly id: string;
  readonly manifest: PluginManifest;
  /** The plugin's config section, validated against the manifest's schema, frozen. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Only the secrets the manifest names, only this plugin's. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly caller: PluginCaller;
  readonly storage: PluginStorage;
  readonly blobs: PluginBlobs;
  readonly search: PluginSearch;
  readonly catalog: PluginCatalog;
  readonly sources: PluginSources;
  readonly jobs: PluginJobs;
  /** Problems the plugin records against entities, shown with their processing errors. */
  readonly problems: PluginProblems;
  /** fetch that reaches only the manifest's hosts, through the outbound policy (no private addresses, bounded time and size). */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  /** Work that may outlive the response. */
  waitUntil(promise: Promise<unknown>): void;
}

/** A plugin's Hono environment: handlers read `c.env.plugin` and nothing else. */
export type PluginEnv = { Bindings: { plugin: PluginContext }; Variables: { requestId: string } };

/** Catalog entities a location refresh added, changed or removed (push, import, `npm run catalog:load`). */
export interface CatalogChange {
  upserted: { ref: string; entity: Record<string, unknown>; locationKey: string | null; locationUrl: string | null }[];
  removed: string[];
}

/** A GitHub webhook the plugin subscribed to (manifest `webhooks`), already verified. */
export interface PluginWebhook {
  event: string;
  deliveryId: string;
  payload: Record<string, unknown>;
}

export interface WorkerPluginParts {
  /** Routes under /api/plugins/<id>/, built with `pluginRouter()`: each route declares its permission. */
  app?: Hono<PluginEnv>;
  onJob?(payload: JsonValue, ctx: PluginContext): Promise<void>;
  onWebhook?(webhook: PluginWebhook, ctx: PluginContext): Promise<void>;
  onCatalogChange?(change: CatalogChange, ctx: PluginContext): Promise<void>;
}

export interface WorkerPlugin extends WorkerPluginParts {
  manifest: PluginManifest;
}
