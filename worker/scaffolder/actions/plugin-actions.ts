/**
 * Template actions from plugins (registered through worker/plugins/api.ts): a plugin's handler sees only its
 * input, the workspace's files, a log and its outputs, never the worker's bindings, secrets or credentials,
 * as its routes see only a PluginContext.
 */
import { addAction } from "./registry";
import type { ActionContext } from "./types";

export interface PluginActionContext {
  readonly input: Readonly<Record<string, unknown>>;
  readonly isDryRun: boolean;
  /** The user who runs the task (their entity ref), without credentials. */
  readonly user: string | null;
  log(message: string): void;
  output(name: string, value: unknown): void;
  workspace: {
    read(path: string): Uint8Array | undefined;
    write(path: string, content: string | Uint8Array): void;
    list(dir?: string): string[];
  };
}

export interface PluginTemplateAction {
  /** `namespace:name`, e.g. `acme:notify`; the built-ins' ids are taken. */
  id: string;
  description: string;
  schema?: { input?: Record<string, unknown>; output?: Record<string, unknown> };
  /** Runs in dry runs too (it must then change nothing outside the workspace). */
  supportsDryRun?: boolean;
  handler(ctx: PluginActionContext): Promise<void>;
}

function restricted(ctx: ActionContext): PluginActionContext {
  return {
    input: ctx.input,
    isDryRun: ctx.isDryRun,
    user: ctx.user.ref,
    log: (m) => ctx.log(String(m)),
    output: (n, v) => ctx.output(n, v),
    workspace: { read: (p) => ctx.workspace.read(p), write: (p, c) => ctx.workspace.write(p, c), list: (d) => ctx.workspace.list(d) },
  };
}

export function registerTemplateAction(action: PluginTemplateAction): void {
  addAction({
    id: action.id,
    description: action.description,
    ...(action.schema ? { schema: action.schema } : {}),
    supportsDryRun: action.supportsDryRun ?? false,
    handler: (ctx) => action.handler(restricted(ctx)),
  });
}
