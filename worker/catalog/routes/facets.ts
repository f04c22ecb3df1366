/** GET /entity-facets — value counts for the given facets over the (optionally filtered) catalog. */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { authorize } from "../../access";
import { cachedRead, readDb } from "../read-cache";
import { ApiError } from "../../errors";
import { jsonText } from "../../http";
import { parseFilterParams } from "../query";
import { getFacets } from "../store/facets";

export const facetRoutes = new Hono<AppEnv>().get("/entity-facets", authorize("catalog.entity.read"), cachedRead(), async (c) => {
  const facets = (c.req.queries("facet") ?? []).map((f) => f.trim()).filter(Boolean);
  if (!facets.length) throw new ApiError("InputError", "Missing facet parameter");
  if (facets.length > 50) throw new ApiError("InputError", "Too many facet parameters (at most 50)");
  const filter = parseFilterParams(c.req.queries("filter") ?? []);
  return jsonText(c, JSON.stringify({ facets: await getFacets(readDb(c), facets, filter) }));
});
