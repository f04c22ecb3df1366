/**
 * Placeholder for the plugin full-text search (another part of issue 10 implements it in this file): every call
 * refuses with a 501 in the error shape, so a plugin that needs it fails clearly instead of half-working.
 */
import type { PluginSearch } from "../../../contract/plugin-worker";
import { ApiError } from "../../errors";

export function createPluginSearch(_db: D1Database, pluginId: string): PluginSearch {
  const unavailable = async (): Promise<never> => {
    throw new ApiError("NotImplementedError", `Plugin ${pluginId}: full-text search is not available in this build`);
  };
  return {
    index: unavailable,
    remove: unavailable,
    removeEntity: unavailable,
    query: unavailable,
  };
}
