/**
 * A task's run, written against a StepRunner so it is durable: under a Workflow every call is a
 * `step.do`, whose result the platform keeps, so when the worker restarts mid-task the run is replayed,
 * completed steps return their kept result without running again, and work picks up at the first step
 * that had not finished. Each step reads the workspace the previous one saved and saves its own (R2), so
 * a step that does run again starts from the same files. A failure ends the task with the step's error;
 * a cancel is seen before the next step starts.
 *
 * The same holds when a run starts over from the top (an instance restarted by recover.ts, e.g. after
 * `wrangler dev` was stopped mid-task, whose local engine does not resume instances): a step whose row in
 * D1 says completed or skipped returns the output recorded there instead of running again.
 */
import { renderValue, toJson } from "../render/expressions";
import { appendEvents, closeOpenSteps, getTask, listSteps, setStepStatus, setTaskStatus } from "../store";
import { redact, withSecretFields } from "../values";
import { deleteWorkspaces, loadWorkspace, saveWorkspace } from "../workspace";
import { executeStep, renderContextOf, type StepEnv, type StepResult } from "./step";
import { openStepLog } from "./step-log";

export interface StepRunner {
  do<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface TaskParams {
  taskId: string;
  /** Request `secrets` (Backstage's TaskSecrets). */
  secrets: Record<string, string>;
  /** Values of the template's secret fields by property path (JSON of the segments), kept out of the stored spec. */
  secretParameters: Record<string, string>;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function runTask(env: Env, params: TaskParams, runner: StepRunner): Promise<void> {
  const { taskId } = params;
  const task = await getTask(env.DB, taskId);
  if (!task) return;
  const spec = task.spec;
  const secretValues = [...Object.values(params.secrets ?? {}), ...Object.values(params.secretParameters ?? {})];
  const clean = (m: string) => redact(m, secretValues);
  const parameters = withSecretFields(spec.parameters, params.secretParameters ?? {});

  const started = await runner.do("start", async () => {
    const moved = await setTaskStatus(env.DB, taskId, "processing");
    if (moved) await appendEvents(env.DB, taskId, [{ type: "log", body: { message: `Starting task ${taskId} from ${spec.templateInfo.entityRef}` } }]);
    return moved;
  });
  if (!started) return; // cancelled or ended before it began

  const steps: Record<string, { output: Record<string, unknown> }> = {};
  let failure: { stepId: string; error: string } | null = null;
  let cancelled = false;
  for (let i = 0; i < spec.steps.length; i++) {
    const step = spec.steps[i];
    const result = await runner.do<StepResult>(`step ${i + 1}: ${step.id}`, async () => {
      const current = await getTask(env.DB, taskId);
      if (current?.status === "cancelled") return { status: "cancelled", output: {} };
      const recorded = (await listSteps(env.DB, taskId)).find((s) => s.id === step.id);
      if (recorded && (recorded.status === "completed" || recorded.status === "skipped")) return { status: recorded.status, output: recorded.output ?? {} };
      await setStepStatus(env.DB, taskId, step.id, "processing");
      // Lines reach the event stream as they are written (step-log.ts), secrets already masked.
      const stepLog = await openStepLog(env.DB, taskId, step.id);
      const se: StepEnv = {
        env,
        taskId,
        spec,
        parameters,
        secrets: params.secrets ?? {},
        steps: { ...steps },
        isDryRun: false,
        log: (stepId, message, status) => stepLog.write({ message: clean(message), stepId, ...(status ? { status } : {}) }),
      };
      stepLog.write({ message: `Beginning step ${step.name}`, stepId: step.id, status: "processing" });
      let res: StepResult;
      try {
        const ws = await loadWorkspace(env.BLOBS, taskId, i);
        res = await executeStep(se, i, ws);
        await saveWorkspace(env.BLOBS, taskId, i + 1, ws);
      } catch (err) {
        res = { status: "failed", output: {}, error: clean(messageOf(err)) };
      }
      const output = toJson(JSON.parse(clean(JSON.stringify(res.output))));
      if (res.status === "failed") stepLog.write({ message: `Step ${step.name} failed: ${res.error}`, stepId: step.id, status: "failed" });
      else if (res.status === "completed") stepLog.write({ message: `Finished step ${step.name}`, stepId: step.id, status: "completed" });
      await stepLog.flush();
      await setStepStatus(env.DB, taskId, step.id, res.status, { output, ...(res.error ? { error: res.error } : {}) });
      return { ...res, output };
    });
    if (result.status === "cancelled") {
      cancelled = true;
      break;
    }
    if (result.status === "failed") {
      failure = { stepId: step.id, error: result.error ?? "failed" };
      break;
    }
    steps[step.id] = { output: result.output };
  }

  await runner.do("finish", async () => {
    if (cancelled) {
      await closeOpenSteps(env.DB, taskId, "cancelled");
    } else if (failure) {
      await closeOpenSteps(env.DB, taskId, "skipped");
      if (await setTaskStatus(env.DB, taskId, "failed", { error: failure.error })) {
        await appendEvents(env.DB, taskId, [{ type: "completion", body: { message: `Run completed with status: failed`, status: "failed", stepId: failure.stepId, error: { name: "Error", message: failure.error } } }]);
      }
    } else {
      let output: Record<string, unknown> = {};
      let error: string | null = null;
      try {
        // The output shows in the portal and stays in the record: rendered without secrets.
        output = toJson(((await renderValue(spec.output, { ...renderContextOf({ env, taskId, spec, parameters: spec.parameters, secrets: {}, steps, isDryRun: false, log: () => {} }) })) ?? {}) as Record<string, unknown>);
      } catch (err) {
        error = `The template's output could not be rendered: ${clean(messageOf(err))}`;
      }
      const status = error ? "failed" : "completed";
      if (await setTaskStatus(env.DB, taskId, status, error ? { error } : { output })) {
        await appendEvents(env.DB, taskId, [{ type: "completion", body: { message: `Run completed with status: ${status}`, status, ...(error ? { error: { name: "Error", message: error } } : { output }) } }]);
      }
    }
    await deleteWorkspaces(env.BLOBS, taskId);
    return true;
  });
}
