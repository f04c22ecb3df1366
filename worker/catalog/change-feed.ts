/**
 * This isolate's view of entity_feed (migration 0020): the entities added, removed or re-rendered, by feed seq,
 * with the search keys each change touched. The shared tag read (read-cache.ts) also reads the feed rows after
 * the last it saw, so it costs no extra round trip, and a cached answer whose tags moved can be checked here
 * against what it depends on (`FeedDependency`): if no change since it was read touched that, it is unchanged
 * and is served again without a query. The view holds a window of the feed, from `coveredFrom` (where it
 * started or last lost track) to `seen`; an answer read before the window is not judged here, and its route
 * decides, as before.
 */

/** The pseudo-tag under which a tag snapshot carries the feed's newest seq (TAGS_SQL in read-cache.ts). */
export const FEED_TAG = "feed";

/** Rows one read takes at most: a longer delta (a bulk load) is not read; the view starts over after it. */
export const MAX_DELTA_ROWS = 2000;
/** Changes the window keeps (memory); older ones drop off the front and the window starts later. */
export const MAX_WINDOW = 4096;

/** The feed rows after `?1`, oldest first, one more than MAX_DELTA_ROWS to tell a longer delta. */
export const FEED_DELTA_SQL = `SELECT seq, entity_id, ref, keys FROM entity_feed WHERE seq > ?1 ORDER BY seq LIMIT ${MAX_DELTA_ROWS + 1}`;

export interface FeedRow {
  seq: number;
  entity_id: number;
  ref: string;
  /** JSON array of search keys, or null: unknown (every key). */
  keys: string | null;
}

/** What a cached answer is made of, as far as a write can change it. */
export interface FeedDependency {
  /** Refs (lower-cased, as entities.ref) of the entities it shows or names: any change to one changes it. */
  refs?: readonly string[];
  /** Row ids of the entities it shows. */
  ids?: readonly number[];
  /**
   * The search keys that decide which entities it holds, their order or its counts: a change touching one, or
   * whose keys are unknown (an entity added or removed, its relations changed), may change it. Absent: which
   * entities it holds cannot change (by-refs names them).
   */
  keys?: readonly string[];
}

interface Change {
  seq: number;
  id: number;
  ref: string;
  keys: readonly string[] | null;
}

function keysOf(json: string | null): readonly string[] | null {
  if (json === null) return null;
  try {
    const keys: unknown = JSON.parse(json);
    return Array.isArray(keys) && keys.every((k) => typeof k === "string") ? keys : null;
  } catch {
    return null;
  }
}

export class ChangeFeedView {
  /** The changes after `coveredFrom`, up to `seen`, oldest first. */
  #changes: Change[] = [];
  #coveredFrom: number | undefined;
  #seen: number | undefined;

  /** The seq to read the feed after, or undefined before the first read (which only learns the newest seq). */
  get cursor(): number | undefined {
    return this.#seen;
  }

  /**
   * Takes in the rows a read made after `from` (this view's cursor when the read was issued), in a snapshot
   * whose newest seq is `newest`. A read issued from another cursor (two reads raced) is ignored; a delta that
   * does not run from right after `from` to `newest`, or is longer than MAX_DELTA_ROWS, or a feed older than
   * the view (a database reset) makes the view start over at `newest`.
   */
  apply(from: number | undefined, rows: readonly FeedRow[], newest: number): void {
    if (from !== this.#seen) return;
    const contiguous =
      from !== undefined &&
      newest >= from &&
      rows.length <= MAX_DELTA_ROWS &&
      (rows.length === 0 ? newest === from : rows[0].seq === from + 1 && rows[rows.length - 1].seq === newest);
    if (!contiguous) {
      this.#changes = [];
      this.#coveredFrom = this.#seen = newest;
      return;
    }
    for (const r of rows) this.#changes.push({ seq: r.seq, id: r.entity_id, ref: r.ref, keys: keysOf(r.keys) });
    if (this.#changes.length > MAX_WINDOW) {
      const dropped = this.#changes.splice(0, this.#changes.length - MAX_WINDOW);
      this.#coveredFrom = dropped[dropped.length - 1].seq;
    }
    this.#seen = newest;
  }

  /**
   * Whether no change after `since` (the feed seq an answer was read at) touched what `dep` names, so the
   * answer holds at `newest` (the snapshot it would be served at): only when the window covers that span.
   */
  unchangedFor(dep: FeedDependency, since: number, newest: number): boolean {
    if (this.#coveredFrom === undefined || this.#seen === undefined) return false;
    if (since < this.#coveredFrom || since > newest || newest > this.#seen) return false;
    let refs: Set<string> | undefined;
    let ids: Set<number> | undefined;
    let keys: Set<string> | undefined;
    // Changes after `newest` are judged too: a change the answer might not even see only makes this say no.
    for (let i = this.#changes.length - 1; i >= 0 && this.#changes[i].seq > since; i--) {
      const c = this.#changes[i];
      if (dep.refs && (refs ??= new Set(dep.refs)).has(c.ref)) return false;
      if (dep.ids && (ids ??= new Set(dep.ids)).has(c.id)) return false;
      if (dep.keys) {
        if (c.keys === null) return false;
        keys ??= new Set(dep.keys);
        for (const k of c.keys) if (keys.has(k)) return false;
      }
    }
    return true;
  }
}
