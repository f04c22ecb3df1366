/**
 * This isolate's view of entity_feed (migration 0020): the refs of the entities added, removed or re-rendered,
 * by feed seq. The shared tag read (read-cache.ts) also reads the feed rows after the last it saw, so it costs
 * no extra round trip, and an answer made of named refs (by-refs) whose tags moved can be checked here: if none
 * of its refs is in the feed since the answer was read, it is unchanged and is served again without a query.
 * The view covers a window of the feed, from `coveredFrom` (where it started or last lost track) to `seen`;
 * an answer read before that window is not judged here and the route decides, as before.
 */

/** The pseudo-tag under which a tag snapshot carries the feed's newest seq (TAGS_SQL in read-cache.ts). */
export const FEED_TAG = "feed";

/** Rows one read takes at most: a longer delta (a bulk load) is not read; the view starts over after it. */
export const MAX_DELTA_ROWS = 2000;
/** Refs the view tracks at most (memory): past this it starts over. */
const MAX_TRACKED_REFS = 50_000;

/** The feed rows after `?1`, oldest first, one more than MAX_DELTA_ROWS to tell a longer delta. */
export const FEED_DELTA_SQL = `SELECT seq, ref FROM entity_feed WHERE seq > ?1 ORDER BY seq LIMIT ${MAX_DELTA_ROWS + 1}`;

export interface FeedRow {
  seq: number;
  ref: string;
}

export class ChangeFeedView {
  /** Each tracked ref's newest feed seq. */
  readonly #changedAt = new Map<string, number>();
  #coveredFrom: number | undefined;
  #seen: number | undefined;

  /** The seq to read the feed after, or undefined before the first read (which only learns the newest seq). */
  get cursor(): number | undefined {
    return this.#seen;
  }

  /**
   * Takes in the rows a read made after `from` (this view's cursor when the read was issued), in a snapshot
   * whose newest seq is `newest`. A read issued from another cursor (two reads raced) is ignored; a delta
   * that does not start right after `from`, or is longer than MAX_DELTA_ROWS, or a feed older than the view
   * (a database reset) makes the view start over at `newest`.
   */
  apply(from: number | undefined, rows: readonly FeedRow[], newest: number): void {
    if (from !== this.#seen) return;
    const contiguous =
      from !== undefined &&
      newest >= from &&
      rows.length <= MAX_DELTA_ROWS &&
      (rows.length === 0 ? newest === from : rows[0].seq === from + 1 && rows[rows.length - 1].seq === newest);
    if (!contiguous || this.#changedAt.size + rows.length > MAX_TRACKED_REFS) {
      this.#changedAt.clear();
      this.#coveredFrom = this.#seen = newest;
      return;
    }
    for (const r of rows) this.#changedAt.set(r.ref, r.seq);
    this.#seen = newest;
  }

  /**
   * Whether none of `refs` (lower-cased, as entities.ref) changed after `since` (the feed seq an answer was
   * read at) up to `newest` (the snapshot it would be served at): only when the view covers that whole span.
   */
  unchangedSince(refs: readonly string[], since: number, newest: number): boolean {
    if (this.#coveredFrom === undefined || this.#seen === undefined) return false;
    if (since < this.#coveredFrom || since > newest || newest > this.#seen) return false;
    for (const ref of refs) if ((this.#changedAt.get(ref) ?? -1) > since) return false;
    return true;
  }
}
