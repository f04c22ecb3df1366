/**
 * Placeholder for the plugin blob storage (another part of issue 10 implements it in this file): every call
 * refuses with a 501 in the error shape, so a plugin that needs it fails clearly instead of half-working.
 */
import type { PluginBlobs } from "../../../contract/plugin-worker";
import { ApiError } from "../../errors";

export function createPluginBlobs(_bucket: R2Bucket, pluginId: string): PluginBlobs {
  const unavailable = async (): Promise<never> => {
    throw new ApiError("NotImplementedError", `Plugin ${pluginId}: blob storage is not available in this build`);
  };
  return {
    get: unavailable,
    put: unavailable,
    delete: unavailable,
    list: unavailable,
  };
}
