/**
 * Mounts each plugin's declared routes at /api/plugins/<id>/..., each behind the access seam with the
 * permission the route declares (checked at mount time by manifest.ts), and GET /api/plugins, the list of
 * what is installed. A request reaches a plugin's handler only after the policy allowed it; the handler
 * then runs in its own Hono app with `c.env = { plugin: PluginContext }` and a new Request carrying an
 * allow-list of headers, so no credential (Authorization, Cookie, Cloudflare Access, forwarding headers)
 * ever reaches plugin code. Anything else under a plugin's prefix is a 404, or a 405 naming what the path
 * allows.
 */
import { Hono, type Context } from "hono";
import type { InstalledPlugin, InstalledPluginsResponse } from "../../contract/plugin";
import type { PluginContext, PluginEnv, WorkerPlugin } from "../../contract/plugin-worker";
import { authorize } from "../access";
import type { AppEnv } from "../env";
import { ApiError, errorBody, renderError } from "../errors";
import { identityConfig } from "../identity/config";
import { ANONYMOUS } from "../identity/principal";
import { createPluginContext, pluginCaller } from "./context";
import { readPluginConfig } from "./context/config";
import { secretStatus } from "./context/secrets";
import { checkManifest, checkRoutes } from "./manifest";
import type { PluginRoute } from "./router";

/** Request headers a plugin sees: content negotiation and conditional requests, nothing that identifies. */
const SAFE_HEADERS = [
  "accept",
  "accept-language",
  "content-language",
  "content-type",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-unmodified-since",
  "range",
] as const;

/** Request bodies a plugin may be sent (its stored values are ≤ 512 KiB; blobs go through its own routes). */
export const MAX_PLUGIN_BODY = 10 * 1024 * 1024;

const tooLarge = () => new ApiError("PayloadTooLargeError", `Request bodies to plugins are limited to ${MAX_PLUGIN_BODY / 1024 / 1024} MiB`);

/** The body as a stream that fails with a 413 the moment it passes the cap, declared length or not. */
function cappedBody(raw: Request): ReadableStream | null {
  if (raw.method === "GET" || raw.method === "HEAD" || !raw.body) return null;
  const declared = Number(raw.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > MAX_PLUGIN_BODY) throw tooLarge();
  let total = 0;
  return raw.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > MAX_PLUGIN_BODY) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

export function pluginRequest(raw: Request): Request {
  const headers = new Headers();
  for (const name of SAFE_HEADERS) {
    const value = raw.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Request(raw.url, { method: raw.method, headers, body: cappedBody(raw), redirect: "manual" });
}

const requestIds = new WeakMap<PluginContext, string>();

/** A plugin's answer, minus what could act on the portal's own session (cookies are the core's). */
function fromPlugin(res: Response): Response {
  if (!res.headers.has("set-cookie")) return res;
  const out = new Response(res.body, res);
  out.headers.delete("set-cookie");
  return out;
}

function executionCtxOf(c: Context<AppEnv>): Context["executionCtx"] | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined; // a bare app.request() in tests
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const fullPath = (base: string, path: string) => (path === "/" ? base : `${base}${path}`);

function pluginApp(plugin: WorkerPlugin, base: string): Hono<PluginEnv> {
  const wrapper = new Hono<PluginEnv>();
  wrapper.use("*", async (c, next) => {
    c.set("requestId", requestIds.get(c.env.plugin) ?? "-");
    await next();
  });
  wrapper.onError(renderError);
  wrapper.notFound((c) => c.json(errorBody(c, "NotFoundError", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`, 404), 404));
  if (plugin.app) wrapper.route(base, plugin.app);
  return wrapper;
}

/** Answers 405 (with Allow) for a declared path asked with another method, else 404. */
function missFor(base: string, routes: readonly PluginRoute[]) {
  const probe = new Hono();
  const byPath = new Map<string, string[]>();
  for (const r of routes) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.method]);
  for (const [path, methods] of byPath) probe.all(fullPath(base, path), () => new Response(methods.includes("GET") ? [...methods, "HEAD"].join(", ") : methods.join(", ")));
  return async (c: Context<AppEnv>) => {
    const probed = await probe.request(new URL(c.req.url).pathname);
    const path = new URL(c.req.url).pathname;
    if (probed.status === 404) throw new ApiError("NotFoundError", `No route for ${c.req.method} ${path}`);
    const allow = await probed.text();
    return c.json(errorBody(c, "MethodNotAllowedError", `${c.req.method} is not allowed on ${path}; allowed: ${allow}`, 405), 405, { allow });
  };
}

function describe(env: Env, plugin: WorkerPlugin, routes: readonly PluginRoute[]): InstalledPlugin {
  const m = plugin.manifest;
  const config = readPluginConfig(env, m);
  return {
    id: m.id,
    title: m.title,
    version: m.version,
    description: m.description ?? null,
    icon: m.icon ?? null,
    nav: m.nav ?? [],
    entityTabs: m.entityTabs ?? [],
    entityCards: m.entityCards ?? [],
    permissions: m.permissions ?? [],
    hosts: m.hosts ?? [],
    secrets: secretStatus(env, m),
    webhooks: m.webhooks ?? [],
    config: config.ok ? { valid: true } : { valid: false, message: config.problem },
    routes: routes.map((r) => ({ method: r.method, path: fullPath(`/api/plugins/${m.id}`, r.path), permission: r.permission })),
  };
}

export function mountPlugins(app: Hono<AppEnv>, plugins: readonly WorkerPlugin[]): void {
  const seen = new Set<string>();
  const mounted = plugins.map((given) => {
    checkManifest(given.manifest);
    // The plugin's code holds its manifest object: what the mount reads (id, secrets, hosts) is a frozen copy.
    const plugin: WorkerPlugin = { ...given, manifest: deepFreeze(structuredClone(given.manifest)) };
    if (seen.has(plugin.manifest.id)) throw new Error(`plugin '${plugin.manifest.id}' is listed twice`);
    seen.add(plugin.manifest.id);
    return { plugin, routes: checkRoutes(plugin) };
  });

  // GET /api/plugins: what is installed, for the portal's plugins page (no secret values, no config values).
  app.get("/api/plugins", authorize("catalog.entity.read"), (c) => c.json({ items: mounted.map(({ plugin, routes }) => describe(c.env, plugin, routes)) } satisfies InstalledPluginsResponse));

  for (const { plugin, routes } of mounted) {
    const { manifest } = plugin;
    const base = `/api/plugins/${manifest.id}`;
    const sub = pluginApp(plugin, base);
    const dispatch = async (c: Context<AppEnv>) => {
      const exec = executionCtxOf(c);
      const context = createPluginContext({
        env: c.env,
        manifest,
        caller: pluginCaller(identityConfig(c.env).policy, c.get("principal") ?? ANONYMOUS),
        waitUntil: exec ? (p) => exec.waitUntil(p) : undefined,
      });
      requestIds.set(context, c.get("requestId"));
      return fromPlugin(await sub.fetch(pluginRequest(c.req.raw), { plugin: context }, exec));
    };
    for (const r of routes) app.on(r.method, fullPath(base, r.path), authorize(r.permission), dispatch);
    // Undeclared paths and methods: the caller must be allowed to read before learning what exists.
    app.all(`${base}/*`, authorize("catalog.entity.read"), missFor(base, routes));
  }
}
