/**
 * ChangeFeedView (catalog/change-feed.ts) against the feed it reads: whatever reads it is given (in order,
 * raced from an old cursor, after the front was pruned, longer than a read takes, from an older database), it
 * never says a ref is unchanged over a span in which the feed has it, and after an ordinary read it does
 * vouch for the refs the feed does not have.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ChangeFeedView, MAX_DELTA_ROWS, type FeedRow } from "../../../worker/catalog/change-feed";

const REFS = ["a", "b", "c", "d", "e"];

describe("ChangeFeedView", () => {
  it("never vouches for a ref the feed changed in the span (fast-check)", () => {
    const step = fc.oneof(
      fc.record({ append: fc.array(fc.constantFrom(...REFS), { minLength: 1, maxLength: 5 }) }),
      fc.record({ bulk: fc.constant(MAX_DELTA_ROWS + 1) }),
      fc.record({ read: fc.constantFrom("current", "stale", "pruned", "reset") }),
      fc.record({ ask: fc.subarray(REFS, { minLength: 1, maxLength: 2 }), back: fc.nat(12) }),
      fc.record({ ask: fc.subarray(REFS, { minLength: 1, maxLength: 2 }), back: fc.nat(12) }),
    );
    let vouched = 0;
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let feed: string[] = []; // feed[i] has seq i + 1
        const view = new ChangeFeedView();
        let previousCursor: number | undefined;
        const rowsAfter = (from: number, upTo: number): FeedRow[] => feed.slice(from, upTo).map((ref, i) => ({ seq: from + i + 1, ref }));
        for (const s of steps) {
          if ("append" in s) feed.push(...s.append);
          else if ("bulk" in s) feed.push(...Array.from({ length: s.bulk }, (_, i) => `bulk-${i}`));
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
            if (view.unchangedSince(s.ask, since, newest)) {
              vouched++;
              expect(feed.slice(since, newest).filter((r) => s.ask.includes(r))).toEqual([]);
            }
          }
        }
      }),
      { numRuns: 500, seed: 42 },
    );
    // It is not sound by saying no: the runs vouched often.
    expect(vouched).toBeGreaterThan(50);
  });

  it("vouches, after an ordinary read, for refs the feed did not change since", () => {
    const view = new ChangeFeedView();
    view.apply(undefined, [], 10);
    expect(view.cursor).toBe(10);
    view.apply(10, [{ seq: 11, ref: "a" }, { seq: 12, ref: "b" }], 12);
    expect(view.unchangedSince(["c"], 10, 12)).toBe(true);
    expect(view.unchangedSince(["c", "b"], 10, 12)).toBe(false);
    expect(view.unchangedSince(["b"], 12, 12)).toBe(true);
    // Before the view's window, or after what it has seen: not judged.
    expect(view.unchangedSince(["c"], 9, 12)).toBe(false);
    expect(view.unchangedSince(["c"], 10, 13)).toBe(false);
    // A delta that skips rows (the front was pruned past the cursor) starts the view over.
    view.apply(12, [{ seq: 14, ref: "d" }], 14);
    expect(view.unchangedSince(["c"], 12, 14)).toBe(false);
    expect(view.unchangedSince(["c"], 14, 14)).toBe(true);
  });
});
