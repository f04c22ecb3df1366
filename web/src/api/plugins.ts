/** `GET /api/plugins`: the worker plugins this deployment mounts (manifests, routes, which secrets are set). */
import type { InstalledPluginsResponse } from "../../../contract/plugin";
import { request } from "./request";

export function fetchInstalledPlugins(signal?: AbortSignal): Promise<InstalledPluginsResponse> {
  return request<InstalledPluginsResponse>("/api/plugins", { signal });
}
