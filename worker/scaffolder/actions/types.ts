/** What a template action is and what it gets to work with (Backstage's TemplateAction / ActionContext). */
import type { Workspace } from "../workspace";

export interface ActionContext {
  input: Record<string, unknown>;
  workspace: Workspace;
  /** A log line for the task's event stream (secrets are redacted before it is stored). */
  log(message: string): void;
  output(name: string, value: unknown): void;
  secrets: Readonly<Record<string, string>>;
  user: { ref: string | null; entity?: Record<string, unknown> };
  templateInfo: { entityRef: string; baseUrl: string | null };
  taskId: string;
  stepId: string;
  isDryRun: boolean;
  env: Env;
  /** A dry run's template files (request `directoryContents`), by path relative to the template; they stand in for its repository. */
  templateFiles?: ReadonlyMap<string, Uint8Array>;
}

export interface TemplateAction {
  id: string;
  description: string;
  schema?: { input?: Record<string, unknown>; output?: Record<string, unknown> };
  /** Whether the action runs in a dry run; those that do not are replaced by `dryRun` (or skipped). */
  supportsDryRun?: boolean;
  /** A dry run's stand-in: sets plausible outputs without touching anything. */
  dryRun?(ctx: ActionContext): Promise<void> | void;
  handler(ctx: ActionContext): Promise<void>;
}
