/**
 * Placeholder for the plugin jobs (another part of issue 10 implements it in this file): every call
 * refuses with a 501 in the error shape, so a plugin that needs it fails clearly instead of half-working.
 */
import type { PluginJobs } from "../../../contract/plugin-worker";
import { ApiError } from "../../errors";

export function createPluginJobs(_queue: Queue, pluginId: string): PluginJobs {
  const unavailable = async (): Promise<never> => {
    throw new ApiError("NotImplementedError", `Plugin ${pluginId}: jobs is not available in this build`);
  };
  return {
    enqueue: unavailable,
  };
}
