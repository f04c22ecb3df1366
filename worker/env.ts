/** Hono's environment for every route: bindings come from `wrangler types` (worker-configuration.d.ts). */
export type AppEnv = {
  Bindings: Env;
  /** jsonBody: the JSON text a route answered with (jsonText), which the read cache keeps without re-reading the response. */
  /** readDb: the database view a cached read queries with (catalog/read-cache.ts). */
  Variables: { requestId: string; jsonBody?: string; readDb?: D1Database };
};
