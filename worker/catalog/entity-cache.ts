/**
 * A per-isolate cache of rendered entity JSON, keyed by row id and valid for one `rev` (migration 0014: rev
 * moves whenever what the entity renders as changes, and ids are never reused). Pages, full-text results and
 * by-refs answers read only ids and revs from their index query and take the JSON from here, fetching just
 * the entities that changed since (or were never seen) in one more query. So a write costs the next read of
 * a page one entity, not the page: the answer is still read from D1's current state on every request.
 */
import { getEntityJsonsByIds, type EntityRev } from "./store/read";

/** Budget for cached JSON (counted at one byte per character for Latin-1 text, two otherwise) and per entry. */
const MAX_BYTES = 16 * 1024 * 1024;
const MAX_ENTRY_CHARS = 256 * 1024;
const ENTRY_OVERHEAD_BYTES = 96;

interface Entry {
  rev: number;
  json: string;
  bytes: number;
}

/** Entries in recency order (a hit moves its entry to the end; eviction takes the first). */
export class EntityJsonCache {
  readonly #entries = new Map<number, Entry>();
  #bytes = 0;
  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The JSON of entity `id` at `rev`, or undefined (an older rev is dropped). */
  get(id: number, rev: number): string | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    if (entry.rev !== rev) {
      this.#bytes -= entry.bytes;
      return undefined;
    }
    this.#entries.set(id, entry);
    return entry.json;
  }

  set(id: number, rev: number, json: string): void {
    const old = this.#entries.get(id);
    if (old) {
      this.#entries.delete(id);
      this.#bytes -= old.bytes;
    }
    if (json.length > MAX_ENTRY_CHARS) return;
    // V8 keeps Latin-1 strings at a byte per character.
    const bytes = (/[^\x00-\xff]/.test(json) ? 2 : 1) * json.length + ENTRY_OVERHEAD_BYTES;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes + bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
    if (this.#bytes + bytes > this.maxBytes) return;
    this.#entries.set(id, { rev, json, bytes });
    this.#bytes += bytes;
  }
}

const cache = new EntityJsonCache(MAX_BYTES);

export interface Rendered {
  /** JSON per requested row, in order; null for a null row or an entity removed since its index query. */
  jsons: (string | null)[];
  hits: number;
  misses: number;
}

/**
 * The JSON of each row (null rows stay null), from the cache where its rev matches and otherwise read in one
 * query. An entity re-rendered between the index query and that read comes back at its newer rev, which is
 * what is served: an answer is never older than the request.
 */
export async function renderEntities(db: D1Database, rows: readonly (EntityRev | null)[]): Promise<Rendered> {
  const jsons: (string | null)[] = new Array(rows.length).fill(null);
  const missing = new Map<number, number[]>();
  let hits = 0;
  rows.forEach((row, i) => {
    if (!row) return;
    const json = cache.get(row.id, row.rev);
    if (json !== undefined) {
      jsons[i] = json;
      hits++;
    } else {
      const at = missing.get(row.id);
      if (at) at.push(i);
      else missing.set(row.id, [i]);
    }
  });
  if (missing.size) {
    for (const found of await getEntityJsonsByIds(db, [...missing.keys()])) {
      cache.set(found.id, found.rev, found.json);
      for (const i of missing.get(found.id) ?? []) jsons[i] = found.json;
    }
  }
  let misses = 0;
  for (const at of missing.values()) misses += at.length;
  return { jsons, hits, misses };
}

/** The rows as one string (`id.rev` each, `-` for a null row): what an answer built from them is made of. */
export function revsFingerprint(rows: readonly (EntityRev | null)[]): string {
  return rows.map((r) => (r ? `${r.id}.${r.rev}` : "-")).join(",");
}
