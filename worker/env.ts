/** Hono's environment for every route: bindings come from `wrangler types` (worker-configuration.d.ts). */
export type AppEnv = {
  Bindings: Env;
  Variables: { requestId: string };
};
