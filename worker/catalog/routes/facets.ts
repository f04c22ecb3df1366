/** GET /entity-facets — value counts for the given facets over the (optionally filtered) catalog. */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../env";
import { authorize } from "../../access";
import { cachedRead, dependsOnFeed, dependsOnKinds } from "../read-cache";
import { answerKeys, filterKinds } from "../cache-tags";
import { jsonText, validQuery } from "../../http";
import { allParams, filterParam } from "../query";
import { getFacets } from "../store/sharded-read";
import { catalogDb } from "../catalog-db";

const MAX_FACETS = 50;

const facetQuery = v.object({
  facet: v.pipe(
    v.optional(allParams("facet", MAX_FACETS), []),
    v.transform((facets) => facets.map((f) => f.trim()).filter(Boolean)),
    v.minLength(1, "Missing facet parameter"),
  ),
  filter: filterParam,
});

export const facetRoutes = new Hono<AppEnv>().get("/entity-facets", authorize("catalog.entity.read"), validQuery(facetQuery), cachedRead(), async (c) => {
  const { facet, filter } = c.req.valid("query");
  dependsOnKinds(c, filterKinds(filter));
  // Counts of the facet keys' values over the entities the filter picks: nothing else a write can change.
  dependsOnFeed(c, { keys: answerKeys(filter, facet) });
  return jsonText(c, JSON.stringify({ facets: await getFacets(catalogDb(c), facet, filter) }));
});
