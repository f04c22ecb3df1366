/**
 * The catalog over several D1 databases, split by namespace (docs/scaling.md). Opt-in: with no
 * CATALOG_SHARDS the catalog is the one database env.DB, as always.
 *
 * CATALOG_SHARDS is a JSON object from a D1 binding name to the namespaces it holds, e.g.
 * `{"DB_PAYMENTS": ["payments", "billing"]}`; every other namespace lives in env.DB (the default shard).
 * A shard holds its namespaces' entities with everything derived from them (search rows, facet counts,
 * processing errors) and every relation pair that names one of its entities at either end, so each
 * shard answers filters and relations for its own entities. Entity row ids are unique across shards
 * (each shard allocates from its own range), so keyset positions and ids mean the same everywhere.
 */
import { lower } from "../entity-ref";

export interface CatalogShards {
  readonly kind: "shards";
  /** Every shard, the default (env.DB) first. */
  readonly all: readonly D1Database[];
  /** The shard holding `namespace` (lower-cased or not). */
  of(namespace: string): D1Database;
}

/** What catalog reads run on: one database, or the shard set. */
export type CatalogDb = D1Database | CatalogShards;

/** Shard sets made here. Membership, not a property read: the read cache's probing database counts every property access as a read. */
const shardSets = new WeakSet<object>();

export const isSharded = (db: CatalogDb): db is CatalogShards => shardSets.has(db);

const parsed = new WeakMap<object, CatalogShards | null>();

/**
 * The shard set CATALOG_SHARDS configures, or null (one database). Throws on a configuration that names
 * a binding the worker does not have, so a typo fails loudly instead of serving half a catalog.
 */
export function catalogShards(env: Env): CatalogShards | null {
  const raw = (env as { CATALOG_SHARDS?: string }).CATALOG_SHARDS;
  if (!raw) return null;
  if (parsed.has(env)) return parsed.get(env)!;
  const config = JSON.parse(raw) as Record<string, string[]>;
  const byNamespace = new Map<string, D1Database>();
  const all: D1Database[] = [env.DB];
  for (const [binding, namespaces] of Object.entries(config)) {
    const db = (env as unknown as Record<string, unknown>)[binding] as D1Database | undefined;
    if (!db || typeof (db as D1Database).prepare !== "function") throw new Error(`CATALOG_SHARDS names ${binding}, which is not a D1 binding`);
    if (!all.includes(db)) all.push(db);
    for (const ns of namespaces) byNamespace.set(lower(ns), db);
  }
  const shards: CatalogShards = { kind: "shards", all, of: (ns) => byNamespace.get(lower(ns)) ?? env.DB };
  shardSets.add(shards);
  parsed.set(env, shards);
  return shards;
}

/** The namespace of a ref `kind:namespace/name` (Backstage's defaults for short refs do not apply: refs here are full). */
export function namespaceOfRef(ref: string): string {
  const colon = ref.indexOf(":");
  const slash = ref.indexOf("/", colon + 1);
  return colon >= 0 && slash > colon ? ref.slice(colon + 1, slash) : "default";
}

/** SQLite's BINARY collation (UTF-8 bytes, i.e. code points), which orders search values in each shard. */
export function compareBinary(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
