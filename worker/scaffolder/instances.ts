/**
 * The task Workflow's instance handles, released as soon as they are used. Locally (Miniflare, `wrangler
 * dev`, the bench) the binding answers with RPC stubs that workerd otherwise holds until garbage collection
 * and warns about ("An RPC result was not disposed properly"); on Cloudflare disposing is a no-op.
 */
import type { TaskParams } from "./run/task";

const DISPOSE = (Symbol as unknown as { dispose?: symbol }).dispose;

function release(instance: unknown): void {
  if (!DISPOSE || !instance || typeof instance !== "object") return;
  try {
    (instance as Record<symbol, (() => void) | undefined>)[DISPOSE]?.();
  } catch {
    // Already released, or not a stub.
  }
}

export async function startInstance(env: Env, id: string, params: TaskParams): Promise<void> {
  release(await env.SCAFFOLDER_TASKS.create({ id, params }));
}

export async function withInstance<T>(env: Env, id: string, fn: (instance: WorkflowInstance) => Promise<T>): Promise<T> {
  const instance = await env.SCAFFOLDER_TASKS.get(id);
  try {
    return await fn(instance);
  } finally {
    release(instance);
  }
}
