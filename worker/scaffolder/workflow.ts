/**
 * The Cloudflare Workflow that runs a task (binding SCAFFOLDER_TASKS): each template step is one
 * `step.do`, kept by the platform once it returns, so a restart replays the run without repeating a
 * completed step (run/task.ts). Steps do not retry on their own: a failed step fails the task with its
 * error, as in Backstage; the GitHub client already retries transient answers inside a step.
 */
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { runTask, type TaskParams } from "./run/task";

export class ScaffolderTaskWorkflow extends WorkflowEntrypoint<Env, TaskParams> {
  async run(event: WorkflowEvent<TaskParams>, step: WorkflowStep): Promise<void> {
    await runTask(this.env, event.payload, {
      do: <T>(name: string, fn: () => Promise<T>) => step.do(name, { retries: { limit: 0, delay: 1000 }, timeout: "10 minutes" }, fn as () => Promise<Rpc.Serializable<T>>) as Promise<T>,
    });
  }
}
