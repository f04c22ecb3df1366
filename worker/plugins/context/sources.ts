/**
 * Placeholder for the plugin repository sources (another part of issue 10 implements it in this file): every call
 * refuses with a 501 in the error shape, so a plugin that needs it fails clearly instead of half-working.
 */
import type { PluginSources } from "../../../contract/plugin-worker";
import { ApiError } from "../../errors";

export function createPluginSources(_env: Env, pluginId: string): PluginSources {
  const unavailable = async (): Promise<never> => {
    throw new ApiError("NotImplementedError", `Plugin ${pluginId}: repository sources is not available in this build`);
  };
  return {
    readFile: unavailable,
    listTree: unavailable,
    lastCommit: unavailable,
  };
}
