/**
 * A step's log lines are stored as they are written, not when the step ends: the event stream
 * (GET /tasks/:id/eventstream) carries them while the step is still running, secrets masked. A step
 * interrupted mid-way and run again (a restart) neither loses nor repeats the lines it had written.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { addAction } from "../../../worker/scaffolder/actions/registry";
import { runTask, type StepRunner } from "../../../worker/scaffolder/run/task";
import { openStepLog } from "../../../worker/scaffolder/run/step-log";
import { createTask as storeTask, listEvents } from "../../../worker/scaffolder/store";
import { parseTemplate } from "../../../worker/scaffolder/template";
import { api, getJson, postJson } from "../helpers";
import { createTask, eventsOf, registerTemplate, settledTask } from "./helpers";

const simple = (steps: unknown[]) =>
  registerTemplate({ apiVersion: "scaffolder.backstage.io/v1beta3", kind: "Template", metadata: { name: "live" }, spec: { owner: "team-a", type: "service", steps } });

/** Reads server-sent events until `until` is satisfied by one; gives back the events read so far. */
async function readEventsUntil(res: Response, until: (e: any) => boolean): Promise<any[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: any[] = [];
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before the line arrived: ${JSON.stringify(events.map((e) => e.body.message))}`);
      buffer += value;
      let at: number;
      while ((at = buffer.indexOf("\n\n")) >= 0) {
        const chunk = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const data = chunk.split("\n").find((l) => l.startsWith("data: "));
        if (!data) continue;
        const e = JSON.parse(data.slice(6));
        events.push(e);
        if (until(e)) return events;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

describe("live step logs", () => {
  it("streams a running step's lines before the step finishes, secrets masked", async () => {
    const ref = await simple([
      { id: "hello", name: "Hello", action: "debug:log", input: { message: "first step" } },
      // The step logs, then waits far longer than the test needs: the line must arrive while it waits.
      { id: "slow", name: "Slow", action: "debug:log", input: { message: "token is ${{ secrets.token }}" } },
      { id: "wait", name: "Wait", action: "debug:wait", input: { seconds: 25 } },
    ]);
    const res = await createTask(ref, {}, { secrets: { token: "s3cr3t-value" } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id;
    const stream = await api(`/api/scaffolder/v2/tasks/${id}/eventstream`);
    const events = await readEventsUntil(stream, (e) => e.body.stepId === "wait" && e.body.message === "Waiting 25000 ms");
    // The wait has not ended: its step is still processing and its Finished line has not been written.
    const task = (await getJson(`/api/scaffolder/v2/tasks/${id}`)).body;
    expect(task.status).toBe("processing");
    expect(task.steps.find((s: { id: string }) => s.id === "wait")).toMatchObject({ status: "processing", endedAt: null });
    expect(events.some((e) => e.body.message === "Finished step Wait")).toBe(false);
    expect(events.map((e) => e.body.message)).toEqual(expect.arrayContaining(["Beginning step Wait", "token is ***", "Finished step Slow"]));
    expect(JSON.stringify(await eventsOf(id))).not.toContain("s3cr3t-value");
    // Ends the test's task instead of waiting it out.
    expect((await postJson(`/api/scaffolder/v2/tasks/${id}/cancel`, {})).status).toBe(200);
    expect((await settledTask(id)).status).toBe("cancelled");
  });

  it("keeps a step's lines in order and numbered: a re-run that writes the same lines adds none, a different one appends", async () => {
    const taskId = crypto.randomUUID();
    await storeTask(env.DB, { id: taskId, createdBy: null, spec: { apiVersion: "scaffolder.backstage.io/v1beta3", templateInfo: { entityRef: "template:default/x", baseUrl: null }, parameters: {}, steps: [{ id: "s", name: "s", action: "debug:log" }], output: {}, user: { ref: null }, secretFields: [] } });
    const line = (message: string) => ({ message, stepId: "s" });
    const first = await openStepLog(env.DB, taskId, "s");
    first.write(line("a"));
    first.write(line("b"));
    await first.flush();
    // The step runs again from its start (the first attempt was interrupted after writing a and b).
    const again = await openStepLog(env.DB, taskId, "s");
    for (const m of ["a", "b", "c"]) again.write(line(m));
    await again.flush();
    expect((await listEvents(env.DB, taskId)).map((e) => e.body.message)).toEqual(["a", "b", "c"]);
    // A third attempt that goes another way: what was written stays, the new lines come after it.
    const third = await openStepLog(env.DB, taskId, "s");
    for (const m of ["a", "x"]) third.write(line(m));
    await third.flush();
    expect((await listEvents(env.DB, taskId)).map((e) => e.body.message)).toEqual(["a", "b", "c", "x"]);
  });
});

// An action that hangs the first time it has logged two lines (the isolate "dies" there), and finishes the next time.
let attempts = 0;
const hang = new Promise<never>(() => {});
addAction({
  id: "test:interrupted-once",
  description: "Logs one, two, (hangs the first time), three",
  async handler(ctx) {
    attempts++;
    ctx.log("one");
    ctx.log("two");
    if (attempts === 1) await hang;
    ctx.log("three");
  },
});

class Crash extends Error {}

describe("a restart mid-step", () => {
  it("neither loses nor repeats the lines the interrupted step had written", async () => {
    const template = parseTemplate({ apiVersion: "scaffolder.backstage.io/v1beta3", kind: "Template", metadata: { name: "mid-step" }, spec: { steps: [{ id: "work", name: "Work", action: "test:interrupted-once" }] } });
    const taskId = crypto.randomUUID();
    await storeTask(env.DB, { id: taskId, createdBy: null, spec: { apiVersion: template.apiVersion, templateInfo: { entityRef: template.entityRef, baseUrl: null }, parameters: {}, steps: template.steps, output: {}, user: { ref: null }, secretFields: [] } });
    const messages = async () => (await listEvents(env.DB, taskId)).filter((e) => e.body.stepId === "work").map((e) => e.body.message);
    const kept = new Map<string, unknown>();
    // The first run: once the step's two lines are stored, the "isolate" goes away (the step's function never returns).
    const crashing: StepRunner = {
      async do<T>(name: string, fn: () => Promise<T>): Promise<T> {
        if (kept.has(name)) return kept.get(name) as T;
        if (name !== "step 1: work") {
          const r = await fn();
          kept.set(name, r);
          return r;
        }
        void fn();
        for (let i = 0; i < 400 && !(await messages()).includes("two"); i++) await new Promise((r) => setTimeout(r, 10));
        throw new Crash(name);
      },
    };
    await expect(runTask(env, { taskId, secrets: {}, secretParameters: {} }, crashing)).rejects.toBeInstanceOf(Crash);
    expect(await messages()).toEqual(["Beginning step Work", "one", "two"]);
    // The platform runs the step that had not returned again (the start step's result is kept).
    const replay: StepRunner = { do: async (name, fn) => (kept.has(name) ? (kept.get(name) as never) : fn()) };
    await runTask(env, { taskId, secrets: {}, secretParameters: {} }, replay);
    expect(await messages()).toEqual(["Beginning step Work", "one", "two", "three", "Finished step Work"]);
    expect(attempts).toBe(2);
  });
});
