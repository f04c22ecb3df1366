/**
 * Mounts each plugin at /api/plugins/<id>, behind the access seam. The plugin's app is called with its own
 * environment, `{ plugin: PluginContext }`, not the worker's: it cannot reach D1, the queue or another
 * plugin's secrets except through what the context hands it.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { authorize, refuse } from "../access";
import { errorBody, renderError } from "../errors";
import { createPluginStorage } from "./storage";
import type { PluginContext, PluginEnv, WorkerPlugin } from "./types";

const ID = /^[a-z][a-z0-9-]{0,39}$/;

/** PLUGIN_<ID>_<NAME> → { NAME: value }: a plugin's config is only what is addressed to it. */
export function pluginConfig(env: object, id: string): Record<string, string> {
  const prefix = `PLUGIN_${id.toUpperCase().replaceAll("-", "_")}_`;
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith(prefix) && typeof v === "string") config[k.slice(prefix.length)] = v;
  return config;
}

export function mountPlugins(app: Hono<AppEnv>, plugins: readonly WorkerPlugin[]): void {
  const seen = new Set<string>();
  for (const plugin of plugins) {
    if (!ID.test(plugin.id) || seen.has(plugin.id)) throw new Error(`invalid or duplicate plugin id '${plugin.id}'`);
    seen.add(plugin.id);
    const base = `/api/plugins/${plugin.id}`;
    // Plugin errors render in the same envelope as the rest of the API.
    const sub = new Hono<PluginEnv>().route("/", plugin.app);
    sub.onError(renderError);
    sub.notFound((c) => c.json(errorBody(c, "NotFoundError", `No route for ${c.req.method} ${base}${new URL(c.req.url).pathname}`, 404), 404));
    const read = authorize(plugin.permission ?? "catalog.entity.read");
    const write = plugin.writePermission ? authorize(plugin.writePermission) : refuse(`write to plugin ${plugin.id}`, "the plugin declares no write permission");
    app.all(`${base}/*`, (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? read : write)(c, next), async (c) => {
      const context: PluginContext = {
        id: plugin.id,
        config: pluginConfig(c.env, plugin.id),
        storage: createPluginStorage(c.env.DB, plugin.id),
      };
      const url = new URL(c.req.url);
      url.pathname = url.pathname.slice(base.length) || "/";
      return sub.fetch(new Request(url, c.req.raw), { plugin: context }, c.executionCtx);
    });
  }
}
