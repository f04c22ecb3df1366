/** One WebPluginApi per plugin id for the portal's lifetime, so components of one plugin share it. */
import type { WebPluginApi } from "../../../contract/plugin-web";
import { createPluginApi } from "../plugin-kit/api";

const apis = new Map<string, WebPluginApi>();

export function pluginApiFor(pluginId: string): WebPluginApi {
  let api = apis.get(pluginId);
  if (!api) apis.set(pluginId, (api = createPluginApi(pluginId)));
  return api;
}
