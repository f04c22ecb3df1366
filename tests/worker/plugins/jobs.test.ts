/**
 * Plugin jobs: enqueue puts a `plugin-hook` message on JOBS (payload checked and capped, delay bounded);
 * the consumer runs that plugin's onJob with its hook context (service identity, its own storage). A job
 * for an unknown plugin, or one the hook refuses with a 4xx, is dead-lettered at once; other failures are
 * retried and dead-lettered after the last attempt, never crashing the batch.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { ApiError } from "../../../worker/errors";
import { createApp } from "../../../worker/app";
import { listDeadLetters } from "../../../worker/jobs/dead-letters";
import { MAX_ATTEMPTS } from "../../../worker/jobs/consumer";
import { createPluginJobs, MAX_JOB_PAYLOAD_BYTES } from "../../../worker/plugins/context/jobs";
import { definePluginWorker, pluginRouter, type JsonValue, type PluginContext } from "../../../worker/plugins/api";
import { uniq } from "../helpers";
import { json, requester } from "./helpers";
import { captureQueue, drain, runMessages } from "./queue-helpers";

const seen: { payload: JsonValue; caller: string | null; canWrite: boolean }[] = [];

const worker = definePluginWorker(
  { id: "jobber", title: "Jobber", version: "1.0.0", permissions: [{ name: "plugin.jobber.write", description: "queue work" }] },
  {
    app: pluginRouter().post("/work", { permission: "plugin.jobber.write" }, async (c) => {
      await c.env.plugin.jobs.enqueue((await c.req.json()) as JsonValue);
      return c.json({ queued: true }, 202);
    }),
    async onJob(payload, ctx: PluginContext) {
      const p = payload as { fail?: string; n?: number };
      if (p.fail === "input") throw new ApiError("InputError", "this payload is wrong");
      if (p.fail === "boom") throw new Error("transient boom");
      seen.push({ payload, caller: ctx.caller.ref, canWrite: ctx.caller.can("catalog.entity.write") });
      await ctx.storage.table("done").put(String(p.n), payload);
    },
  },
);
const plugins = [worker];

async function rejects(p: Promise<unknown>, name: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).name).toBe(name);
}

describe("plugin jobs", () => {
  it("queues a job from a route and runs the plugin's onJob with its service identity", async () => {
    const q = captureQueue();
    const request = requester(createApp(plugins), { JOBS: q.queue });
    const res = await request("/api/plugins/jobber/work", { method: "POST", body: JSON.stringify({ n: 1, note: "hello" }), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(202);
    expect(q.sent.map((m) => m.body)).toEqual([{ type: "plugin-hook", pluginId: "jobber", hook: "job", payload: { n: 1, note: "hello" } }]);
    expect(await drain(q, plugins)).toBe(1);
    expect(seen.at(-1)).toEqual({ payload: { n: 1, note: "hello" }, caller: "plugin:jobber", canWrite: false });
    expect(await env.DB.prepare("SELECT value FROM plugin_rows WHERE plugin_id = 'jobber' AND tbl = 'done' AND key = '1'").first("value")).toBe('{"n":1,"note":"hello"}');
  });

  it("checks payloads and delays before anything is queued", async () => {
    const q = captureQueue();
    const jobs = createPluginJobs(q.queue, "jobber");
    await rejects(jobs.enqueue("x".repeat(MAX_JOB_PAYLOAD_BYTES) as JsonValue), "PayloadTooLargeError");
    await rejects(jobs.enqueue(undefined as unknown as JsonValue), "InputError");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await rejects(jobs.enqueue(cyclic as JsonValue), "InputError");
    await rejects(jobs.enqueue(1, { delaySeconds: -1 }), "InputError");
    await rejects(jobs.enqueue(1, { delaySeconds: 1.5 }), "InputError");
    await rejects(jobs.enqueue(1, { delaySeconds: 43_201 }), "InputError");
    expect(q.sent).toEqual([]);
    await jobs.enqueue({ at: new Date(0) } as unknown as JsonValue, { delaySeconds: 30 });
    expect(q.sent).toEqual([{ body: { type: "plugin-hook", pluginId: "jobber", hook: "job", payload: { at: "1970-01-01T00:00:00.000Z" } }, delaySeconds: 30 }]);
  });

  it("dead-letters a job for a plugin that is not installed instead of crashing the batch", async () => {
    const ghost = uniq("ghost");
    const { acked, retried } = await runMessages(
      [
        { type: "plugin-hook", pluginId: ghost, hook: "job", payload: 1 },
        { type: "plugin-hook", pluginId: "jobber", hook: "job", payload: { n: 2 } },
      ],
      plugins,
    );
    expect({ acked, retried }).toEqual({ acked: 2, retried: 0 });
    const letters = await listDeadLetters(env.DB, { limit: 50 });
    expect(letters.find((l) => l.error.includes(ghost))).toMatchObject({ type: "plugin-hook", error: expect.stringMatching(/PermanentJobError: No plugin '.*' is installed/), attempts: 1 });
    expect(seen.some((s) => (s.payload as { n?: number }).n === 2)).toBe(true);
  });

  it("dead-letters at once what the hook refuses with a 4xx, retries other failures until the last attempt", async () => {
    const input = await runMessages([{ type: "plugin-hook", pluginId: "jobber", hook: "job", payload: { fail: "input", tag: uniq("t") } }], plugins);
    expect(input).toMatchObject({ acked: 1, retried: 0 });
    const boom = await runMessages([{ type: "plugin-hook", pluginId: "jobber", hook: "job", payload: { fail: "boom" } }], plugins);
    expect(boom).toMatchObject({ acked: 0, retried: 1 });
    const tag = uniq("last");
    const last = await runMessages([{ type: "plugin-hook", pluginId: "jobber", hook: "job", payload: { fail: "boom", tag } }], plugins, {}, MAX_ATTEMPTS);
    expect(last).toMatchObject({ acked: 1, retried: 0 });
    const letters = await listDeadLetters(env.DB, { limit: 50 });
    expect(letters.find((l) => JSON.stringify(l.body).includes(tag))).toMatchObject({ error: "Error: transient boom", attempts: MAX_ATTEMPTS });
    expect(letters.some((l) => /onJob: InputError: this payload is wrong/.test(l.error))).toBe(true);
  });

  it("dead-letters a job for a plugin without onJob", async () => {
    const bare = definePluginWorker({ id: "bare", title: "Bare", version: "1.0.0" });
    expect(await runMessages([{ type: "plugin-hook", pluginId: "bare", hook: "job", payload: null }], [bare])).toMatchObject({ acked: 1 });
    expect((await listDeadLetters(env.DB, { limit: 5 }))[0].error).toMatch(/has no onJob hook/);
  });

  it("replays a dead letter through the admin API", async () => {
    const q = captureQueue();
    const request = requester(createApp(plugins), { JOBS: q.queue });
    const [letter] = await listDeadLetters(env.DB, { limit: 1 });
    const res = await request(`/api/jobs/dead-letters/${letter.id}/replay`, { method: "POST" });
    expect(res.status).toBe(202);
    expect((await json(res)).deadLetter.id).toBe(letter.id);
    expect(q.sent[0].body).toMatchObject({ type: "plugin-hook" });
  });
});
