/**
 * Retention of the append-only logs (worker/db/retention.ts): the sweep's first page removes the rows of
 * entity_changes, audit_log and job_dead_letters older than their age budget or outside their newest
 * keepRows, oldest first, in bounded chunks, and never a row inside both budgets.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import fc from "fast-check";
import { LOG_RETENTION, pruneLogs, pruneUnusedSearchKeys, type LogRetention } from "../../../worker/db/retention";
import { handleSweep } from "../../../worker/ingestion/sweep";
import { pruneFinishedTasks, TASK_RETENTION_DAYS } from "../../../worker/scaffolder/store";
import { component, getJson, ingest, uniq } from "../helpers";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 8);

async function clear() {
  await env.DB.batch(["entity_changes", "audit_log", "job_dead_letters"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
}

/** Change rows created `ages` days before NOW, in insertion order (so times never go backwards). */
async function addChanges(ages: number[], ref = "component:default/retained"): Promise<number[]> {
  const ids: number[] = [];
  for (const age of ages) {
    const row = await env.DB.prepare(
      "INSERT INTO entity_changes (entity_ref, kind, owner, action, diff, location_key, commit_sha, actor, created_at) VALUES (?, 'Component', NULL, 'updated', NULL, 'file:/r', NULL, NULL, ?) RETURNING id",
    )
      .bind(ref, NOW - age * DAY)
      .first<{ id: number }>();
    ids.push(row!.id);
  }
  return ids;
}

const ids = async (table: string) => (await env.DB.prepare(`SELECT id FROM ${table} ORDER BY id`).all<{ id: number }>()).results.map((r) => r.id);

beforeEach(clear);

describe("log retention", () => {
  it("keeps exactly the rows inside both budgets (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(
        // Ages in days, oldest first: times only grow with ids.
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 60 }).map((a) => [...a].sort((x, y) => y - x)),
        fc.integer({ min: 1, max: 365 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 9 }),
        async (ages, keepDays, keepRows, chunk) => {
          await clear();
          const added = await addChanges(ages);
          const log: LogRetention = { table: "entity_changes", time: "created_at", keepDays, keepRows };
          const newest = added.at(-1) ?? 0;
          const want = added.filter((id, i) => NOW - ages[i] * DAY >= NOW - keepDays * DAY && id > newest - keepRows);
          const removed = await pruneLogs(env.DB, NOW, { logs: [log], chunk, statements: 1_000 });
          expect(await ids("entity_changes")).toEqual(want);
          expect(removed).toEqual({ entity_changes: added.length - want.length });
        },
      ),
      { numRuns: 40 },
    );
  });

  it("removes at most chunk × statements rows a sweep, oldest first, and the next sweep goes on", async () => {
    const added = await addChanges(Array.from({ length: 50 }, (_, i) => 300 - i));
    const log: LogRetention = { table: "entity_changes", time: "created_at", keepDays: 30, keepRows: 1_000 };
    expect(await pruneLogs(env.DB, NOW, { logs: [log], chunk: 8, statements: 3 })).toEqual({ entity_changes: 24 });
    expect(await ids("entity_changes")).toEqual(added.slice(24));
    expect(await pruneLogs(env.DB, NOW, { logs: [log], chunk: 8, statements: 3 })).toEqual({ entity_changes: 24 });
    expect(await pruneLogs(env.DB, NOW, { logs: [log], chunk: 8, statements: 3 })).toEqual({ entity_changes: 2 });
    expect(await ids("entity_changes")).toEqual([]);
  });

  it("runs in the sweep for every log, and the change log API then lists only what is kept", async () => {
    const days = (t: string) => LOG_RETENTION.find((l) => l.table === t)!.keepDays;
    const now = Date.now();
    const ref = "component:default/retention-sweep";
    await env.DB.batch([
      ...[days("entity_changes") + 5, 1].map((age) =>
        env.DB.prepare("INSERT INTO entity_changes (entity_ref, kind, action, location_key, created_at) VALUES (?, 'Component', 'updated', 'file:/r', ?)").bind(ref, now - age * DAY),
      ),
      ...[days("audit_log") + 5, 1].map((age) =>
        env.DB.prepare("INSERT INTO audit_log (at, actor, action) VALUES (?, 'user:default/a', 'test.retention')").bind(now - age * DAY),
      ),
      ...[days("job_dead_letters") + 5, 1].map((age) =>
        env.DB.prepare("INSERT INTO job_dead_letters (type, body, error, attempts, created_at) VALUES ('refresh-location', '{}', 'e', 5, ?)").bind(now - age * DAY),
      ),
    ]);
    await handleSweep(env, { type: "github-sweep" });
    for (const table of ["entity_changes", "audit_log", "job_dead_letters"]) {
      const { results } = await env.DB.prepare(`SELECT ${table === "audit_log" ? "at" : "created_at"} AS t FROM ${table}`).all<{ t: number }>();
      expect(results.map((r) => Math.round((now - r.t) / DAY))).toEqual([1]);
    }
    const changes = await getJson(`/api/catalog/changes?entityRef=${ref}`);
    expect(changes.status).toBe(200);
    expect(changes.body.items).toHaveLength(1);
  });

  it("drops the search keys no row uses any more, and a key comes back with the next row that needs it", async () => {
    const p = uniq("keys");
    const file = `/${p}/c.yaml`;
    const tags = (names: string[]) => component(`${p}-x`, {}, { tags: names.map((t) => `${p}-${t}`) });
    const unused = async () =>
      (await env.DB.prepare("SELECT key FROM search_keys k WHERE NOT EXISTS (SELECT 1 FROM search_rows r WHERE r.key_id = k.id) ORDER BY key").all<{ key: string }>()).results.map((r) => r.key);
    const byTag = async (t: string) => (await getJson(`/api/catalog/entities/by-query?filter=metadata.tags.${p}-${t}=true`)).body.items.length;
    await ingest(`/${p}`, { [file]: tags(["a", "b", "c"]) });
    await ingest(`/${p}`, { [file]: tags(["c", "d"]) });
    expect(await unused()).toEqual(expect.arrayContaining([`metadata.tags.${p}-a`, `metadata.tags.${p}-b`]));
    const before = (await env.DB.prepare("SELECT count(*) AS n FROM search_keys").first<{ n: number }>())!.n;
    const gone = (await unused()).length;
    expect(await pruneUnusedSearchKeys(env.DB, { window: 7, statements: 100_000 })).toBe(gone);
    expect(await unused()).toEqual([]);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM search_keys").first<{ n: number }>())!.n).toBe(before - gone);
    expect([await byTag("a"), await byTag("c"), await byTag("d")]).toEqual([0, 1, 1]);
    await ingest(`/${p}`, { [file]: tags(["a", "d"]) });
    expect([await byTag("a"), await byTag("c"), await byTag("d")]).toEqual([1, 0, 1]);
  });

  it("removes finished scaffolder tasks past their retention with their steps and log, never a running one", async () => {
    const iso = (age: number) => new Date(NOW - age * DAY).toISOString();
    const tasks: [string, string, number][] = [
      ["old-done", "completed", 400], ["old-failed", "failed", 380], ["old-cancelled", "cancelled", 366], ["old-running", "processing", 400],
      ["old-open", "open", 500], ["new-done", "completed", 10],
    ];
    await env.DB.batch(
      tasks.flatMap(([id, status, age]) => [
        env.DB.prepare("INSERT INTO scaffolder_tasks (id, template_ref, spec, status, created_at) VALUES (?, 'template:default/t', '{}', ?, ?)").bind(`rt-${id}`, status, iso(age)),
        env.DB.prepare("INSERT INTO scaffolder_steps (task_id, step_id, position, name, action, status) VALUES (?, 's1', 0, 'S', 'debug:log', ?)").bind(`rt-${id}`, status),
        ...[1, 2, 3].map((n) => env.DB.prepare("INSERT INTO scaffolder_events (task_id, type, body, created_at) VALUES (?, 'log', ?, ?)").bind(`rt-${id}`, JSON.stringify({ message: `line ${n}` }), iso(age))),
      ]),
    );
    const left = async (table: string, col: string) =>
      (await env.DB.prepare(`SELECT DISTINCT ${col} AS id FROM ${table} WHERE ${col} LIKE 'rt-%' ORDER BY 1`).all<{ id: string }>()).results.map((r) => r.id);
    expect(await pruneFinishedTasks(env.DB, iso(TASK_RETENTION_DAYS), { tasks: 2 })).toBe(3);
    const kept = ["rt-new-done", "rt-old-open", "rt-old-running"];
    expect(await left("scaffolder_tasks", "id")).toEqual(kept);
    expect(await left("scaffolder_steps", "task_id")).toEqual(kept);
    expect(await left("scaffolder_events", "task_id")).toEqual(kept);
    expect((await getJson("/api/scaffolder/v2/tasks/rt-new-done")).status).toBe(200);
    expect((await getJson("/api/scaffolder/v2/tasks/rt-old-done")).status).toBe(404);
  });

  it("still records the owner of an entity removed after its change history was pruned", async () => {
    const p = uniq("ret-owner");
    const file = `/${p}/c.yaml`;
    await ingest(`/${p}`, { [file]: [component(`${p}-gone`, { owner: `${p}-team` }), component(`${p}-kept`, { owner: `${p}-team` })].join("\n---\n") });
    const ref = `component:default/${p}-gone`;
    await env.DB.prepare("UPDATE entity_changes SET created_at = ? WHERE entity_ref IN (?, ?)").bind(Date.now() - 400 * DAY, ref, `component:default/${p}-kept`).run();
    const log = LOG_RETENTION.find((l) => l.table === "entity_changes")!;
    expect((await pruneLogs(env.DB, Date.now(), { logs: [log] })).entity_changes).toBeGreaterThanOrEqual(2);
    await ingest(`/${p}`, { [file]: component(`${p}-kept`, { owner: `${p}-team` }) });
    const changes = await getJson(`/api/catalog/changes?owner=group:default/${p}-team`);
    expect(changes.body.items.map((c: { entityRef: string; action: string }) => [c.entityRef, c.action])).toEqual([[ref, "removed"]]);
  });

  it("reaches every unused search key over a few sweeps when there are more windows than a sweep takes", async () => {
    const p = uniq("keys-many");
    await env.DB.batch([env.DB.prepare("INSERT INTO search_keys (key) SELECT ? || value FROM json_each(?)").bind(`${p}.`, JSON.stringify(Array.from({ length: 60 }, (_, i) => `k${i}`)))]);
    const left = async () => (await env.DB.prepare("SELECT count(*) AS n FROM search_keys WHERE key LIKE ? || '.%'").bind(p).first<{ n: number }>())!.n;
    expect(await left()).toBe(60);
    let sweeps = 0;
    while ((await left()) > 0 && sweeps < 500) {
      await pruneUnusedSearchKeys(env.DB, { window: 5, statements: 2 });
      sweeps++;
    }
    expect(await left()).toBe(0);
    expect(sweeps).toBeGreaterThan(1);
  });
});
