/**
 * POST /dry-run: every step of a template run in memory with the values given, actions that would change
 * something replaced by their stand-ins (no repository created, nothing registered), and the files the
 * workspace ends with returned. Secrets are never used: `${{ secrets.x }}` renders as ***.
 */
import { ApiError } from "../../errors";
import type { TemplateSpec } from "../template";
import type { StoredTaskSpec } from "../store";
import { Workspace } from "../workspace";
import { renderValue, toJson } from "../render/expressions";
import { executeStep, type StepEnv } from "./step";

export interface DryRunInput {
  template: TemplateSpec;
  values: Record<string, unknown>;
  secrets: Record<string, string>;
  user: StoredTaskSpec["user"];
  templateFiles?: Map<string, Uint8Array>;
}

function b64(data: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < data.length; i += 0x8000) bin += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return btoa(bin);
}

export async function dryRunTemplate(env: Env, input: DryRunInput) {
  const taskId = `dry-run-${crypto.randomUUID()}`;
  const spec: StoredTaskSpec = {
    apiVersion: input.template.apiVersion,
    templateInfo: { entityRef: input.template.entityRef, baseUrl: input.template.baseUrl },
    parameters: input.values,
    steps: input.template.steps,
    output: input.template.output,
    user: input.user,
    secretFields: [],
  };
  const log: { body: { message: string; stepId?: string; status?: string } }[] = [];
  const steps: Record<string, { output: Record<string, unknown> }> = {};
  const stepStatus: { id: string; name: string; action: string; status: string; error?: string }[] = [];
  const workspace = new Workspace();
  const se: StepEnv = {
    env,
    taskId,
    spec,
    parameters: input.values,
    secrets: Object.fromEntries(Object.keys(input.secrets).map((k) => [k, "***"])),
    steps,
    isDryRun: true,
    templateFiles: input.templateFiles,
    log: (stepId, message, status) => log.push({ body: { message, stepId, ...(status ? { status } : {}) } }),
  };
  for (let i = 0; i < spec.steps.length; i++) {
    const step = spec.steps[i];
    log.push({ body: { message: `Beginning step ${step.name}`, stepId: step.id, status: "processing" } });
    try {
      se.steps = { ...steps };
      const res = await executeStep(se, i, workspace);
      steps[step.id] = { output: res.output };
      stepStatus.push({ id: step.id, name: step.name, action: step.action, status: res.status });
      if (res.status === "completed") log.push({ body: { message: `Finished step ${step.name}`, stepId: step.id, status: "completed" } });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.push({ body: { message: `Step ${step.name} failed: ${message}`, stepId: step.id, status: "failed" } });
      stepStatus.push({ id: step.id, name: step.name, action: step.action, status: "failed", error: message });
      throw Object.assign(new ApiError("InputError", `Dry run failed at step '${step.id}': ${message}`), { dryRun: { log, steps: stepStatus } });
    }
  }
  const output = toJson((await renderValue(spec.output, { parameters: input.values, steps, user: input.user, secrets: se.secrets, context: { task: { id: taskId } } })) ?? {});
  return {
    log,
    steps: stepStatus,
    output,
    directoryContents: workspace.list().map((path) => ({ path, executable: false, base64Content: b64(workspace.read(path)!) })),
  };
}
