/**
 * versionReadAfterNow shares version reads between concurrent requests; a caller must never get the answer of
 * a read that was issued before it arrived (it could predate a write the caller already saw finish).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { versionReadAfterNow as readTags } from "../../../../worker/catalog/read-cache";

/** The whole catalog's version in the shared tag read (catalog_version). */
const versionReadAfterNow = (db: D1Database) => readTags(db).then((tags) => tags.get("catalog"));

/**
 * A fake D1 whose tag reads stay pending until the test answers them with the version at issue time: the
 * shared read (a batch of the tags and the entity feed's rows) and a caller's own read (the tags alone).
 */
function fakeDb() {
  let version = 1;
  const pending: { answer: () => void }[] = [];
  const tags = (seen: number) => ({ results: [{ tag: "catalog", version: seen }] });
  const statement = {
    bind: () => statement,
    all: () => {
      const seen = version;
      return new Promise((resolve) => pending.push({ answer: () => resolve(tags(seen)) }));
    },
  };
  const db = {
    prepare: () => statement,
    batch: () => {
      const seen = version;
      return new Promise((resolve) => pending.push({ answer: () => resolve([tags(seen), { results: [] }]) }));
    },
  } as unknown as D1Database;
  return { db, pending, write: () => version++ };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("versionReadAfterNow", () => {
  it("makes a caller who arrives during a read wait for the next read, shared by everyone who arrives meanwhile", async () => {
    const { db, pending, write } = fakeDb();
    const first = versionReadAfterNow(db);
    expect(pending).toHaveLength(1);
    write(); // a write finishes while the first read is in flight
    const second = versionReadAfterNow(db);
    const third = versionReadAfterNow(db);
    expect(pending).toHaveLength(1); // queued behind the first, not issued yet
    pending[0].answer();
    expect(await first).toBe(1);
    await tick();
    expect(pending).toHaveLength(2); // one read for both late callers
    pending[1].answer();
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    // Idle again: the next caller issues a read of its own at once.
    const fourth = versionReadAfterNow(db);
    expect(pending).toHaveLength(3);
    pending[2].answer();
    expect(await fourth).toBe(2);
  });

  afterEach(() => vi.useRealTimers());

  it("stops waiting for a shared read that never comes back", async () => {
    vi.useFakeTimers();
    const { db, pending } = fakeDb();
    const stuck = versionReadAfterNow(db); // its issuing request is gone: never answered
    const waiting = versionReadAfterNow(db);
    expect(pending).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_001);
    // Both callers fell back to reads of their own, issued after they arrived.
    expect(pending).toHaveLength(3);
    pending[1].answer();
    pending[2].answer();
    expect([await stuck, await waiting]).toEqual([1, 1]);
    // A newcomer does not queue behind the stuck read either.
    const later = versionReadAfterNow(db);
    expect(pending).toHaveLength(4);
    pending[3].answer();
    expect(await later).toBe(1);
  });
});
