/**
 * createPluginApi(pluginId): the WebPluginApi a plugin's components receive. `fetchJson` reaches only the
 * plugin's own routes under /api/plugins/<id>/ and throws the API's error (name, message, status) as an
 * Error; catalog reads go through the portal's own API client, as the signed-in user.
 */
import type { WebPluginApi } from "../../../contract/plugin-web";
import type { QueryEntitiesResponse } from "../../../contract/catalog-api";
import type { Entity, PartialEntity } from "../../../contract/entity";
import { parseEntityRef } from "../../../contract/entity-ref";
import { byNamePath, entityQueryPath } from "../api/params";
import { takeEarlyResponse } from "../api/early";
import { ApiError, errorFromResponse, isInlineAnswer, isNotFound, jsonOfInline, request } from "../api/request";

/**
 * `/items` → `/api/plugins/<id>/items`. A path that would leave the plugin's prefix (`..`, an absolute URL,
 * a protocol-relative `//host`, a backslash) is refused before any request is made.
 */
export function pluginPath(pluginId: string, path: string): string {
  const rel = path.replace(/^\/+/, "");
  const [pathPart = ""] = rel.split(/[?#]/, 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    throw new ApiError("InputError", `Plugin path '${path}' is not valid`, 0);
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(rel) || decoded.includes("\\") || decoded.split("/").some((s) => s === ".." || s === ".")) {
    throw new ApiError("InputError", `Plugin path '${path}' leaves /api/plugins/${pluginId}/`, 0);
  }
  return `/api/plugins/${encodeURIComponent(pluginId)}/${rel}`;
}

export interface PluginApiOptions {
  /** Injected in tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export function createPluginApi(pluginId: string, options: PluginApiOptions = {}): WebPluginApi {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  return {
    pluginId,
    async fetchJson<T>(path: string, init: RequestInit = {}): Promise<T> {
      const url = pluginPath(pluginId, path);
      const headers = new Headers(init.headers);
      if (!headers.has("accept")) headers.set("accept", "application/json");
      if (typeof init.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
      // A plain GET that index.html already started (web/public/boot.js, deep links) uses that response.
      const early = !init.method && init.body === undefined && !init.signal ? takeEarlyResponse(url) : undefined;
      if (early && isInlineAnswer(early)) return jsonOfInline<T>(early, url, "plugin");
      let res: Response;
      try {
        res = await (early ?? doFetch(url, { ...init, headers, credentials: "same-origin" }));
      } catch (err) {
        if (err instanceof DOMException && err.name === "AbortError") throw err;
        throw new ApiError("NetworkError", "Could not reach the Edgestage API. Check your connection and try again.", 0);
      }
      if (!res.ok) throw await errorFromResponse(res);
      if (res.status === 204) return undefined as T;
      try {
        return (await res.json()) as T;
      } catch {
        throw new ApiError("ParseError", `The plugin sent a response that is not valid JSON (${url})`, res.status);
      }
    },
    catalog: {
      async getEntityByRef(ref) {
        const r = parseEntityRef(ref);
        try {
          return await request<Entity>(byNamePath(r.kind, r.namespace, r.name), { fetch: doFetch });
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw err;
        }
      },
      async queryEntities(q) {
        const filter = q.filter === undefined ? undefined : typeof q.filter === "string" ? [q.filter] : q.filter;
        const path = entityQueryPath({ filter, fields: q.fields, limit: q.limit, cursor: q.cursor, fullTextFilterTerm: q.fullTextFilterTerm });
        return await request<QueryEntitiesResponse<PartialEntity>>(path, { fetch: doFetch });
      },
    },
  };
}
