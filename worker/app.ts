/**
 * createApp(): the request pipeline. Request id → error rendering → security headers → refusal of an
 * unsafe configuration → who is calling (identity/) → same-origin check on cookie writes → mounted areas,
 * each route checking its permission through the access seam (worker/access.ts). Plugins mount under
 * /api/plugins/<id>, the proxy's named endpoints under /api/proxy/<name>.
 */
import { Hono, type Context } from "hono";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./env";
import { errorBody, renderError } from "./errors";
import { catalogRoutes } from "./catalog/routes";
import { searchRoutes } from "./search/routes";
import { githubRoutes } from "./ingestion/routes";
import { jobRoutes } from "./jobs/routes";
import { scaffolderRoutes } from "./scaffolder/routes";
import { proxyRoutes } from "./proxy/routes";
import { mountPlugins } from "./plugins/mount";
import type { WorkerPlugin } from "./plugins/types";
import { PLUGINS } from "./plugins";
import { authRoutes } from "./identity/routes";
import { identify } from "./identity/authenticate";
import { sameOriginWrites } from "./identity/csrf";
import { refuseUnsafeConfig } from "./identity/guard";
import { securityHeaders } from "./identity/headers";
import { d1Sessions } from "./db/session";

function executionCtxOf(c: Context<AppEnv>): Context["executionCtx"] | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined; // app.request() in tests has none
  }
}

export function createApp(plugins: readonly WorkerPlugin[] = PLUGINS) {
  const app = new Hono<AppEnv>();
  app.use("*", requestId());
  app.onError(renderError);
  app.notFound((c) => c.json(errorBody(c, "NotFoundError", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`, 404), 404));
  // Every D1 query of a request runs in one D1 session started at the client's bookmark (read replicas).
  app.use("*", d1Sessions());
  app.use("*", securityHeaders(), refuseUnsafeConfig(), identify(), sameOriginWrites());
  app.use("*", async (c, next) => {
    c.set("plugins", plugins);
    await next();
  });

  app.get("/api/health", (c) => c.json({ status: "ok" }));
  app.route("/api/auth", authRoutes);
  app.route("/api/catalog", catalogRoutes);
  app.route("/api/search", searchRoutes);
  app.route("/api/github", githubRoutes);
  app.route("/api/jobs", jobRoutes);
  app.route("/api/scaffolder", scaffolderRoutes);
  // Backstage's TechDocs metadata API, as Backstage clients call it: an alias into the techdocs plugin's routes.
  if (plugins.some((p) => p.manifest.id === "techdocs")) {
    app.get("/api/techdocs/metadata/:which/:namespace/:kind/:name", (c) => {
      const url = new URL(c.req.url);
      url.pathname = url.pathname.replace(/^\/api\/techdocs\//, "/api/plugins/techdocs/");
      return app.fetch(new Request(url, c.req.raw), c.env, executionCtxOf(c));
    });
  }
  app.route("/api/proxy", proxyRoutes);
  mountPlugins(app, plugins);
  return app;
}
