/**
 * Plugin storage on the real D1: tables with get/put/delete/list (prefix, cursor, limit)/deletePrefix, usage
 * and quotas, key and value bounds, and (fast-check) that two plugins' keys never meet, whatever the keys.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import fc from "fast-check";
import { ApiError } from "../../../worker/errors";
import { createPluginStorage, DEFAULT_STORAGE_LIMITS, prefixEnd } from "../../../worker/plugins/context/storage";
import { uniq } from "../helpers";

const storage = (id: string, limits = DEFAULT_STORAGE_LIMITS) => createPluginStorage(env.DB, id, limits);

async function rejects(p: Promise<unknown>, name: string, message?: RegExp) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).name).toBe(name);
  if (message) expect((err as ApiError).message).toMatch(message);
}

/** Code point order, the order SQLite compares UTF-8 TEXT in (JS's < compares UTF-16 units). */
const byCodePoint = (a: string, b: string) => {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
};

describe("plugin tables", () => {
  it("gets, puts, replaces and deletes JSON rows", async () => {
    const t = storage(uniq("s")).table("items");
    expect(await t.get("a")).toBeUndefined();
    await t.put("a", { n: 1, tags: ["x"] });
    await t.put("a", { n: 2 });
    expect(await t.get("a")).toEqual({ n: 2 });
    expect(await t.delete("a")).toBe(true);
    expect(await t.delete("a")).toBe(false);
    expect(await t.get("a")).toBeUndefined();
  });

  it("creates a row only when its key is absent: of concurrent claims exactly one wins", async () => {
    const t = storage(uniq("s")).table("leases");
    const won = await Promise.all(Array.from({ length: 6 }, (_, i) => t.create("site-a", { holder: i })));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await t.get("site-a")).toEqual({ holder: won.indexOf(true) });
    expect(await t.create("site-a", { holder: 99 })).toBe(false);
    expect(await t.delete("site-a")).toBe(true);
    expect(await t.create("site-a", { holder: 7 })).toBe(true);
    // Another plugin's claim on the same table and key is its own.
    expect(await storage(uniq("s")).table("leases").create("site-a", { holder: 1 })).toBe(true);
    await rejects(t.create("", 1), "InputError", /must not be empty/);
  });

  it("keeps tables of one plugin apart", async () => {
    const s = storage(uniq("s"));
    await s.table("one").put("k", 1);
    await s.table("two").put("k", 2);
    expect(await s.table("one").get("k")).toBe(1);
    expect((await s.table("two").list()).items.map((r) => r.value)).toEqual([2]);
  });

  it("lists by prefix in key order, in pages joined by the cursor", async () => {
    const t = storage(uniq("s")).table("items");
    const keys = ["b/1", "b/2", "b/3", "b0", "a/1", "b/10", "b"];
    for (const k of keys) await t.put(k, k);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.list({ prefix: "b/", limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.key));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["b/1", "b/10", "b/2", "b/3"]);
    expect((await t.list()).items.map((r) => r.key)).toEqual([...keys].sort(byCodePoint));
    expect((await t.list({ prefix: "b/" })).items[0]).toMatchObject({ key: "b/1", value: "b/1", updatedAt: expect.any(Number) });
    expect(await t.deletePrefix("b/")).toBe(4);
    expect((await t.list()).items.map((r) => r.key)).toEqual(["a/1", "b", "b0"]);
  });

  it("refuses bad keys, table names, values and limits with 4xx errors", async () => {
    const s = storage(uniq("s"));
    const t = s.table("items");
    await rejects(t.put("", 1), "InputError", /must not be empty/);
    await rejects(t.put("k".repeat(513), 1), "InputError", /longer than 512 bytes/);
    await rejects(t.put("é".repeat(257), 1), "InputError", /longer than 512 bytes/);
    await rejects(t.put("a\uD800", 1), "InputError", /surrogate/);
    await rejects(t.put("a\u0000b", 1), "InputError", /NUL/);
    await rejects(t.put("k", undefined as never), "InputError", /JSON/);
    await rejects(t.put("k", "x".repeat(512 * 1024)), "PayloadTooLargeError", /524288 bytes/);
    await rejects(t.list({ limit: 0 }), "InputError");
    await rejects(t.list({ limit: 1001 }), "InputError");
    for (const name of ["", "Items", "a b", "x'; DROP TABLE plugin_rows; --", "a".repeat(65), "1a"]) expect(() => s.table(name)).toThrow(ApiError);
    await t.put("k".repeat(512), "x".repeat(512 * 1024 - 2));
    expect(await t.get("k".repeat(512))).toHaveLength(512 * 1024 - 2);
  });

  it("counts rows and bytes per plugin and refuses writes past the quota", async () => {
    const id = uniq("q");
    const limits = { ...DEFAULT_STORAGE_LIMITS, maxRows: 3, maxBytes: 100 };
    const s = storage(id, limits);
    const t = s.table("t");
    await t.put("a", "x"); // 1 + 3 bytes
    await s.table("u").put("b", "y");
    await t.put("c", "z");
    expect(await s.usage()).toEqual({ rows: 3, bytes: 12, maxRows: 3, maxBytes: 100 });
    await rejects(t.put("d", "w"), "QuotaExceededError", /3 of 3 rows/);
    await rejects(t.create("d", "w"), "QuotaExceededError", /3 of 3 rows/);
    expect(await t.create("a", "w")).toBe(false); // taken, whatever the quota
    await t.put("a", "replaced within the row quota"); // replacing needs no new row
    await rejects(t.put("a", "y".repeat(100)), "QuotaExceededError", /bytes/);
    expect(await t.get("a")).toBe("replaced within the row quota");
    expect(await t.delete("c")).toBe(true);
    await t.put("d", "w");
    expect((await s.usage()).rows).toBe(3);
    expect(await t.deletePrefix("")).toBe(2);
    expect(await s.usage()).toMatchObject({ rows: 1, bytes: 4 });
    expect((await storage(uniq("q")).usage()).rows).toBe(0);
  });

  it("replaced the old key/value table: migration 0011 moves its rows to each plugin's default table", async () => {
    expect(await env.DB.prepare("SELECT name FROM sqlite_master WHERE name = 'plugin_storage'").first()).toBeNull();
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0011_"))!;
    const moveAndDrop = migration.queries.slice(-2);
    expect(moveAndDrop[1]).toMatch(/DROP TABLE `plugin_storage`/);
    const id = uniq("old");
    await env.DB.batch([
      env.DB.prepare("CREATE TABLE plugin_storage (plugin_id text NOT NULL, key text NOT NULL, value text NOT NULL, updated_at integer NOT NULL, PRIMARY KEY(plugin_id, key))"),
      env.DB.prepare("INSERT INTO plugin_storage VALUES (?, 'k1', '{\"a\":1}', 5), (?, 'k2', '2', 6)").bind(id, id),
    ]);
    await env.DB.batch(moveAndDrop.map((q) => env.DB.prepare(q)));
    const s = storage(id);
    expect(await s.table("default").list()).toEqual({ items: [{ key: "k1", value: { a: 1 }, updatedAt: 5 }, { key: "k2", value: 2, updatedAt: 6 }] });
    expect(await s.usage()).toMatchObject({ rows: 2, bytes: 2 + 7 + 2 + 1 });
  });

  it("computes the upper bound of a prefix range in code point order", () => {
    expect(prefixEnd("")).toBeNull();
    expect(prefixEnd("ab")).toBe("ac");
    expect(prefixEnd("a\u{10FFFF}")).toBe("b");
    expect(prefixEnd("\u{10FFFF}")).toBeNull();
    expect(prefixEnd("a\uD7FF")).toBe("a\uE000");
  });
});

describe("isolation between plugins (property)", () => {
  const key = fc.string({ unit: fc.oneof(fc.constantFrom("a", "b", "/", "%", "_", "*", "[", "'", "é", "\u{1F600}", "\uFFFF", "\u{10FFFF}"), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 6 }).filter(
    (k) => !/[\u0000\uD800-\uDFFF]/u.test(k),
  );

  it("a plugin lists, reads and deletes only its own keys, whatever they look like", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { maxLength: 8 }), fc.uniqueArray(key, { maxLength: 8 }), fc.string({ maxLength: 3 }).filter((p) => !/[\u0000\uD800-\uDFFF]/u.test(p)), async (mine, theirs, prefix) => {
        run += 1;
        const idA = `prop-${run}-${Math.random().toString(36).slice(2, 6)}`;
        const idB = `${idA}-b`; // an id that extends the other's: namespaces must not be prefixes of each other
        const a = storage(idA).table("t");
        const b = storage(idB).table("t");
        for (const k of mine) await a.put(k, { owner: "a", k });
        for (const k of theirs) await b.put(k, { owner: "b", k });
        const expected = mine.filter((k) => k.startsWith(prefix)).sort(byCodePoint);
        const listed: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await a.list({ prefix, cursor, limit: 3 });
          for (const row of page.items) expect(row.value).toEqual({ owner: "a", k: row.key });
          listed.push(...page.items.map((r) => r.key));
          cursor = page.nextCursor;
        } while (cursor);
        expect(listed).toEqual(expected);
        for (const k of theirs) if (!mine.includes(k)) expect(await a.get(k)).toBeUndefined();
        expect(await a.deletePrefix(prefix)).toBe(expected.length);
        expect((await b.list({ limit: 1000 })).items.map((r) => r.key).sort(byCodePoint)).toEqual([...theirs].sort(byCodePoint));
      }),
      { numRuns: 25 },
    );
  });
});
