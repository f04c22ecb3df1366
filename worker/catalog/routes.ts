/** The catalog API, mounted at /api/catalog: Backstage's endpoints plus Edgestage's extensions. */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { entityRoutes } from "./routes/entities";
import { facetRoutes } from "./routes/facets";
import { locationRoutes } from "./routes/locations";
import { validateRoutes } from "./routes/validate";
import { ingestRoutes } from "./routes/ingest";
import { extraRoutes } from "./routes/extras";

export const catalogRoutes = new Hono<AppEnv>()
  .route("/", entityRoutes)
  .route("/", facetRoutes)
  .route("/", locationRoutes)
  .route("/", validateRoutes)
  .route("/", ingestRoutes)
  .route("/", extraRoutes);
