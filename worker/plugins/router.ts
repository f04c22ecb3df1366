/**
 * pluginRouter(): how a plugin declares its routes. Every route names the permission it needs; the mount
 * (mount.ts) reads the declarations back, checks each permission against the manifest and the core list,
 * and puts the access seam in front of every route before the plugin's handler can run. A Hono app not
 * built here has no declarations and is refused at mount time.
 */
import { Hono } from "hono";
import type { H } from "hono/types";
import type { PluginEnv } from "../../contract/plugin-worker";

export type PluginRouteMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface PluginRouteOptions {
  /** A core permission (`catalog.entity.read`, ...) or one the manifest defines (`plugin.<id>.<word>`). */
  permission: string;
}

export interface PluginRoute {
  method: PluginRouteMethod;
  path: string;
  permission: string;
}

const declarations = new WeakMap<Hono<PluginEnv>, readonly PluginRoute[]>();

/** The routes a router declared, or undefined for an app not built with pluginRouter(). */
export function declaredRoutes(app: Hono<PluginEnv>): readonly PluginRoute[] | undefined {
  return declarations.get(app);
}

const PATH = /^\/([A-Za-z0-9._~:-]+(\/[A-Za-z0-9._~:-]+)*\/?)?$/;

type Handlers<P extends string> = [H<PluginEnv, P>, ...H<PluginEnv, P>[]];

export class PluginRouter {
  /** The Hono app the routes run in; `c.env.plugin` is the plugin's context and nothing else. */
  readonly app = new Hono<PluginEnv>();
  readonly #routes: PluginRoute[] = [];

  constructor() {
    declarations.set(this.app, this.#routes);
  }

  #add(method: PluginRouteMethod, path: string, options: PluginRouteOptions, handlers: H<PluginEnv, string>[]): this {
    if (!PATH.test(path) || path.split("/").some((s) => s === "." || s === "..")) throw new Error(`plugin route '${path}': paths start with '/' and hold plain segments or ':params' (no wildcards, no '..')`);
    if (!options || typeof options.permission !== "string") throw new Error(`plugin route ${method} ${path}: declare its permission, e.g. { permission: "catalog.entity.read" }`);
    if (!handlers.length) throw new Error(`plugin route ${method} ${path} has no handler`);
    if (this.#routes.some((r) => r.method === method && r.path === path)) throw new Error(`plugin route ${method} ${path} is declared twice`);
    this.#routes.push({ method, path, permission: options.permission });
    this.app.on(method, path, ...(handlers as [H<PluginEnv, string>]));
    return this;
  }

  get<P extends string>(path: P, options: PluginRouteOptions, ...handlers: Handlers<P>): this {
    return this.#add("GET", path, options, handlers);
  }
  post<P extends string>(path: P, options: PluginRouteOptions, ...handlers: Handlers<P>): this {
    return this.#add("POST", path, options, handlers);
  }
  put<P extends string>(path: P, options: PluginRouteOptions, ...handlers: Handlers<P>): this {
    return this.#add("PUT", path, options, handlers);
  }
  patch<P extends string>(path: P, options: PluginRouteOptions, ...handlers: Handlers<P>): this {
    return this.#add("PATCH", path, options, handlers);
  }
  delete<P extends string>(path: P, options: PluginRouteOptions, ...handlers: Handlers<P>): this {
    return this.#add("DELETE", path, options, handlers);
  }
}

export function pluginRouter(): PluginRouter {
  return new PluginRouter();
}
