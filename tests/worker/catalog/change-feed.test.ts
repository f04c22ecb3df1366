/**
 * ChangeFeedView (catalog/change-feed.ts) against the feed it reads: whatever reads it is given (in order,
 * raced from an old cursor, after the front was pruned, longer than a read takes, from an older database), it
 * never vouches for an answer over a span in which the feed changed one of its entities or touched one of its
 * keys (or an unknown set of keys), and after ordinary reads it does vouch for the others.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ChangeFeedView, MAX_DELTA_ROWS, type FeedDependency, type FeedRow } from "../../../worker/catalog/change-feed";

const REFS = ["a", "b", "c", "d", "e"];
const KEYS = ["kind", "spec.type", "metadata.description", "metadata.tags"];
const idOf = (ref: string) => REFS.indexOf(ref) + 1;

interface Change {
  ref: string;
  keys: string[] | null;
}

/** What the model says: whether any change with a seq in (since, newest] touches `dep`. */
function touched(feed: readonly Change[], since: number, newest: number, dep: FeedDependency): boolean {
  return feed.slice(since, newest).some((c) => dep.refs?.includes(c.ref) || dep.ids?.includes(idOf(c.ref)) || (dep.keys && (c.keys === null || c.keys.some((k) => dep.keys!.includes(k)))));
}

const change = fc.record({ ref: fc.constantFrom(...REFS), keys: fc.option(fc.subarray(KEYS, { maxLength: 2 }), { freq: 4 }) });
const dependency: fc.Arbitrary<FeedDependency> = fc.oneof(
  fc.record({ refs: fc.subarray(REFS, { minLength: 1, maxLength: 2 }) }),
  fc.record({ ids: fc.subarray([1, 2, 3, 4, 5], { maxLength: 2 }), keys: fc.subarray(KEYS, { maxLength: 2 }) }),
  fc.record({ keys: fc.subarray(KEYS, { minLength: 1, maxLength: 2 }) }),
);

describe("ChangeFeedView", () => {
  it("never vouches for an answer the feed changed in the span (fast-check)", () => {
    const step = fc.oneof(
      fc.record({ append: fc.array(change, { minLength: 1, maxLength: 4 }) }),
      fc.record({ bulk: fc.constant(MAX_DELTA_ROWS + 1) }),
      fc.record({ read: fc.constantFrom("current", "current", "stale", "pruned", "reset") }),
      fc.record({ ask: dependency, back: fc.nat(12) }),
      fc.record({ ask: dependency, back: fc.nat(12) }),
    );
    let vouched = 0;
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let feed: Change[] = []; // feed[i] has seq i + 1
        const view = new ChangeFeedView();
        let previousCursor: number | undefined;
        const rowsAfter = (from: number, upTo: number): FeedRow[] =>
          feed.slice(from, upTo).map((c, i) => ({ seq: from + i + 1, entity_id: idOf(c.ref), ref: c.ref, keys: c.keys === null ? null : JSON.stringify(c.keys) }));
        for (const s of steps) {
          if ("append" in s) feed.push(...s.append);
          else if ("bulk" in s) feed.push(...Array.from({ length: s.bulk }, () => ({ ref: "bulk", keys: [] })));
          else if ("read" in s) {
            const newest = feed.length;
            const cursor = view.cursor;
            if (s.read === "current") view.apply(cursor, cursor === undefined ? [] : rowsAfter(cursor, Math.min(newest, cursor + MAX_DELTA_ROWS + 1)), newest);
            else if (s.read === "stale" && previousCursor !== undefined) view.apply(previousCursor, rowsAfter(previousCursor, newest), newest);
            else if (s.read === "pruned" && cursor !== undefined) view.apply(cursor, rowsAfter(Math.min(newest, cursor + 2), newest), newest);
            else if (s.read === "reset") {
              feed = feed.slice(0, Math.floor(feed.length / 2));
              view.apply(cursor, [], feed.length);
            }
            previousCursor = cursor;
          } else {
            // Asked as the cache asks: at the snapshot the last read made (or later, which it must refuse).
            const newest = s.back % 4 === 3 ? feed.length : Math.min(view.cursor ?? 0, feed.length);
            const since = Math.max(0, newest - s.back);
            if (view.unchangedFor(s.ask, since, newest)) {
              vouched++;
              expect(touched(feed, since, newest, s.ask), JSON.stringify({ ask: s.ask, since, newest })).toBe(false);
            }
          }
        }
      }),
      { numRuns: 500, seed: 42 },
    );
    // It is not sound by saying no: the runs vouched often.
    expect(vouched).toBeGreaterThan(100);
  });

  it("vouches, after an ordinary read, for what the feed did not touch since", () => {
    const view = new ChangeFeedView();
    view.apply(undefined, [], 10);
    expect(view.cursor).toBe(10);
    view.apply(10, [{ seq: 11, entity_id: 1, ref: "a", keys: '["metadata.description"]' }, { seq: 12, entity_id: 2, ref: "b", keys: null }], 12);
    expect(view.unchangedFor({ refs: ["c"] }, 10, 12)).toBe(true);
    expect(view.unchangedFor({ refs: ["c", "b"] }, 10, 12)).toBe(false);
    expect(view.unchangedFor({ ids: [3], keys: ["spec.type"] }, 11, 12)).toBe(false); // b's keys are unknown
    expect(view.unchangedFor({ ids: [3], keys: ["spec.type"] }, 10, 11)).toBe(false); // judged up to what it has seen
    expect(view.unchangedFor({ refs: ["b"] }, 12, 12)).toBe(true);
    view.apply(12, [{ seq: 13, entity_id: 1, ref: "a", keys: '["metadata.description"]' }], 13);
    expect(view.unchangedFor({ ids: [3], keys: ["spec.type", "kind"] }, 12, 13)).toBe(true);
    expect(view.unchangedFor({ ids: [1], keys: ["spec.type"] }, 12, 13)).toBe(false);
    expect(view.unchangedFor({ keys: ["metadata.description"] }, 12, 13)).toBe(false);
    // Before the view's window, or after what it has seen: not judged.
    expect(view.unchangedFor({ refs: ["c"] }, 9, 13)).toBe(false);
    expect(view.unchangedFor({ refs: ["c"] }, 10, 14)).toBe(false);
    // A delta that skips rows (the front was pruned past the cursor) starts the view over.
    view.apply(13, [{ seq: 15, entity_id: 4, ref: "d", keys: "[]" }], 15);
    expect(view.unchangedFor({ refs: ["c"] }, 13, 15)).toBe(false);
    expect(view.unchangedFor({ refs: ["c"] }, 15, 15)).toBe(true);
  });
});
