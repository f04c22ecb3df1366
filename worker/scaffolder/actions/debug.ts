/** debug:log and debug:wait, as in Backstage. */
import { ApiError } from "../../errors";
import type { TemplateAction } from "./types";

export const debugLog: TemplateAction = {
  id: "debug:log",
  description: "Writes a message into the task log, and optionally lists the workspace.",
  supportsDryRun: true,
  schema: { input: { type: "object", properties: { message: { type: "string" }, listWorkspace: { type: ["boolean", "string"] }, extra: {} } } },
  async handler(ctx) {
    if (ctx.input.message !== undefined) ctx.log(typeof ctx.input.message === "string" ? ctx.input.message : JSON.stringify(ctx.input.message));
    if (ctx.input.extra !== undefined) ctx.log(JSON.stringify(ctx.input.extra));
    if (ctx.input.listWorkspace) {
      const files = ctx.workspace.list();
      ctx.log(`Workspace (${files.length} file(s)):\n${files.map((f) => `  ${f}`).join("\n")}`);
    }
  },
};

/** Waits stay short: a longer pause belongs in a Workflow sleep, not a held step. */
export const MAX_WAIT_MS = 30_000;

export const debugWait: TemplateAction = {
  id: "debug:wait",
  description: `Waits a while (minutes, seconds, milliseconds; at most ${MAX_WAIT_MS / 1000} s here).`,
  supportsDryRun: true,
  schema: { input: { type: "object", properties: { minutes: { type: "number" }, seconds: { type: "number" }, milliseconds: { type: "number" } } } },
  async handler(ctx) {
    const n = (k: string) => (typeof ctx.input[k] === "number" ? (ctx.input[k] as number) : 0);
    const ms = n("minutes") * 60_000 + n("seconds") * 1000 + n("milliseconds");
    if (!Number.isFinite(ms) || ms < 0) throw new ApiError("InputError", "debug:wait: the wait must be a positive duration");
    if (ms > MAX_WAIT_MS) throw new ApiError("InputError", `debug:wait: waiting ${ms} ms is longer than the ${MAX_WAIT_MS} ms allowed`);
    ctx.log(`Waiting ${ms} ms`);
    await new Promise((r) => setTimeout(r, ms));
  },
};
