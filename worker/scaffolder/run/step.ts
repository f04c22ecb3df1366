/**
 * One template step, as Backstage's NunjucksWorkflowRunner runs it: `if` (skip when falsy), `each`
 * (one iteration per array item or object entry, outputs collected into lists), the input rendered with
 * parameters, previous steps' outputs, the user and secrets, checked against the action's input schema,
 * then the action. A dry run replaces actions that would change something by their `dryRun` stand-in.
 */
import { Validator } from "@cfworker/json-schema";
import { ApiError } from "../../errors";
import { getAction } from "../actions/registry";
import type { ActionContext } from "../actions/types";
import { isTruthy, renderValue, toJson, type RenderContext } from "../render/expressions";
import type { StoredTaskSpec } from "../store";
import type { Workspace } from "../workspace";

export interface StepResult {
  status: "completed" | "skipped" | "failed" | "cancelled";
  output: Record<string, unknown>;
  error?: string;
}

export interface StepEnv {
  env: Env;
  taskId: string;
  spec: StoredTaskSpec;
  /** Parameters with the secret fields' real values (never stored). */
  parameters: Record<string, unknown>;
  secrets: Record<string, string>;
  /** Outputs of the steps that ran before, by step id. */
  steps: Record<string, { output: Record<string, unknown> }>;
  isDryRun: boolean;
  templateFiles?: ReadonlyMap<string, Uint8Array>;
  log(stepId: string, message: string, status?: string): void;
}

export function renderContextOf(s: StepEnv, extra: Record<string, unknown> = {}): RenderContext {
  return {
    parameters: s.parameters,
    steps: s.steps,
    user: s.spec.user,
    secrets: s.secrets,
    context: { task: { id: s.taskId } },
    ...extra,
  };
}

function checkInput(actionId: string, schema: Record<string, unknown> | undefined, input: unknown): void {
  if (!schema) return;
  const result = new Validator(schema as object, "7", false).validate(input);
  if (!result.valid) {
    const errors = result.errors.filter((e) => e.keyword !== "properties").map((e) => `${e.instanceLocation.replace(/^#\/?/, "") || "input"}: ${e.error}`);
    throw new ApiError("InputError", `Invalid input passed to action ${actionId}, ${errors.join(", ")}`);
  }
}

export async function executeStep(s: StepEnv, index: number, workspace: Workspace): Promise<StepResult> {
  const step = s.spec.steps[index];
  const action = getAction(step.action);
  if (!action) throw new ApiError("InputError", `Template action '${step.action}' does not exist (GET /api/scaffolder/v2/actions lists them)`);
  const base = renderContextOf(s);
  if (step.if === false || (typeof step.if === "string" && step.each === undefined && !isTruthy(await renderValue(step.if, base)))) {
    s.log(step.id, `Skipping step ${step.id}: its condition is false`, "skipped");
    return { status: "skipped", output: {} };
  }
  let iterations: { each?: { key: string; value: unknown } }[] = [{}];
  if (step.each !== undefined) {
    const resolved = await renderValue(step.each, base);
    if (!resolved || typeof resolved !== "object") throw new ApiError("InputError", `Invalid value on action ${step.action}.each parameter, "${String(step.each)}" cannot be resolved to a value`);
    iterations = Object.entries(resolved as Record<string, unknown>).map(([key, value]) => ({ each: { key, value } }));
  }
  const output: Record<string, unknown> = {};
  for (const it of iterations) {
    const ctx = renderContextOf(s, it.each ? { each: toJson(it.each) } : {});
    if (it.each && typeof step.if === "string" && !isTruthy(await renderValue(step.if, ctx))) {
      s.log(step.id, `Skipping step each: ${JSON.stringify(it.each)}`);
      continue;
    }
    if (it.each) s.log(step.id, `Running step each: ${JSON.stringify(it.each)}`);
    const input = toJson((await renderValue(step.input ?? {}, ctx)) ?? {}) as Record<string, unknown>;
    checkInput(`${action.id}${it.each ? `[${it.each.key}]` : ""}`, action.schema?.input, input);
    const actx: ActionContext = {
      input,
      workspace,
      log: (m) => s.log(step.id, m),
      output: (name, value) => {
        if (step.each !== undefined) ((output[name] ??= []) as unknown[]).push(toJson(value));
        else output[name] = toJson(value);
      },
      secrets: s.secrets,
      user: s.spec.user,
      templateInfo: { entityRef: s.spec.templateInfo.entityRef, baseUrl: s.spec.templateInfo.baseUrl },
      taskId: s.taskId,
      stepId: step.id,
      isDryRun: s.isDryRun,
      env: s.env,
      templateFiles: s.templateFiles,
    };
    if (s.isDryRun && !action.supportsDryRun) {
      if (action.dryRun) await action.dryRun(actx);
      else s.log(step.id, `Skipping ${action.id} in a dry run`);
    } else {
      await action.handler.call(action, actx);
    }
  }
  return { status: "completed", output };
}
