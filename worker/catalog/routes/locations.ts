/**
 * GET|POST /locations, POST /locations/by-query, GET|DELETE /locations/:id, GET /locations/by-entity/:kind/:namespace/:name,
 * POST /refresh — Backstage's location endpoints (spec §D.4, §D.8). Registration answers at once; the
 * location is read in the background through the JOBS queue.
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../env";
import { authorize, entityRefInBody } from "../../access";
import { ApiError } from "../../errors";
import { limitBody, validJson, validQuery } from "../../http";
import { createLocation, deleteLocation, findLocationByKey, getLocation, getLocationByEntityRef, listLocations, locationKeyOf } from "../store/locations";
import { dryRunLocation } from "../dry-run";
import { createCatalogUrlReader } from "../url-reader";
import { getEntityJsonByRef } from "../store/read";
import { parseEntityRef, stringifyEntityRef } from "../entity-ref";
import { firstParam, parsedBy } from "../query";
import { enqueue } from "../../jobs/enqueue";

const ALLOWED_TYPES = ["url"];
const MAX_LOCATIONS_PAGE = 10_000;

const nonEmpty = (where: string, key: string) =>
  v.pipe(
    v.string(`Invalid ${where}: '${key}' must be a non-empty string`),
    v.check((s) => s.trim().length > 0, `Invalid ${where}: '${key}' must be a non-empty string`),
  );

function checkLocation(spec: { type: string; target: string }): { type: string; target: string } {
  const { type, target } = spec;
  if (!ALLOWED_TYPES.includes(type)) throw new ApiError("InputError", `Registered locations must be of an allowed type ${JSON.stringify(ALLOWED_TYPES)}`);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ApiError("InputError", `Invalid location target '${target}': not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ApiError("InputError", `Invalid location target '${target}': only http(s) URLs can be read`);
  return { type, target };
}

/** Backstage's location body; any other field is refused. */
const locationBody = v.pipe(
  v.strictObject({
    type: nonEmpty("location", "type"),
    target: nonEmpty("location", "target"),
    presence: v.optional(v.picklist(["required", "optional"], "Invalid location: presence must be required or optional")),
  }),
  parsedBy(checkLocation),
);

const createQuery = v.object({
  dryRun: v.optional(firstParam("dryRun")),
  onConflict: v.optional(v.pipe(firstParam("onConflict"), v.picklist(["reject", "refresh"], "Invalid onConflict, must be reject or refresh")), "reject"),
});

const byQueryBody = v.object({
  limit: v.optional(v.pipe(v.number("Invalid limit, must be a number"), v.safeInteger("Invalid limit, must be an integer"), v.minValue(1, "Invalid limit, must be greater than zero"), v.maxValue(MAX_LOCATIONS_PAGE, `Invalid limit, must be at most ${MAX_LOCATIONS_PAGE}`)), 1000),
  cursor: v.optional(v.pipe(v.string("Malformed cursor: could not be decoded"), v.regex(/^\d{1,9}$/, "Malformed cursor: could not be decoded"), v.transform(Number)), "0"),
});

const refreshBody = v.object({ entityRef: nonEmpty("body", "entityRef") });

export const locationRoutes = new Hono<AppEnv>()
  .get("/locations", authorize("catalog.location.read"), async (c) => {
    const locations = await listLocations(c.env.DB);
    return c.json(locations.map((data) => ({ data })));
  })

  .post("/locations/by-query", authorize("catalog.location.read"), limitBody(64 * 1024), validJson(byQueryBody), async (c) => {
    const { limit, cursor: offset } = c.req.valid("json");
    const all = await listLocations(c.env.DB);
    const items = all.slice(offset, offset + limit);
    return c.json({ items, totalItems: all.length, pageInfo: offset + limit < all.length ? { nextCursor: String(offset + limit) } : {} });
  })

  .post("/locations", authorize("catalog.location.create"), limitBody(64 * 1024), validQuery(createQuery), validJson(locationBody), async (c) => {
    const spec = c.req.valid("json");
    const { onConflict, dryRun } = c.req.valid("query");
    if (dryRun === "true") return c.json(await dryRunLocation(c.env.DB, spec, createCatalogUrlReader(c.env, spec)), 201);
    const existing = await findLocationByKey(c.env.DB, locationKeyOf(spec));
    if (existing) {
      if (onConflict === "reject") throw new ApiError("ConflictError", `Location ${locationKeyOf(spec)} already exists`);
      await enqueue(c.env, { type: "refresh-location", locationKey: locationKeyOf(spec) });
      return c.json({ location: existing, entities: [], exists: true }, 201);
    }
    const location = await createLocation(c.env.DB, spec);
    await enqueue(c.env, { type: "refresh-location", locationKey: locationKeyOf(spec) });
    return c.json({ location, entities: [] }, 201);
  })

  .get("/locations/by-entity/:kind/:namespace/:name", authorize("catalog.location.read"), async (c) => {
    const { kind, namespace, name } = c.req.param();
    const location = await getLocationByEntityRef(c.env.DB, `${kind}:${namespace}/${name}`);
    if (!location) throw new ApiError("NotFoundError", `No location found for entity ${kind}:${namespace}/${name}`.toLowerCase());
    return c.json(location);
  })

  .get("/locations/:id", authorize("catalog.location.read"), async (c) => {
    const id = c.req.param("id");
    const location = await getLocation(c.env.DB, id);
    if (!location) throw new ApiError("NotFoundError", `Found no location with ID ${id}`);
    return c.json(location);
  })

  .delete("/locations/:id", authorize("catalog.location.delete"), async (c) => {
    const id = c.req.param("id");
    if (!(await deleteLocation(c.env.DB, id))) throw new ApiError("NotFoundError", `Found no location with ID ${id}`);
    return c.body(null, 204);
  })

  .post("/refresh", limitBody(64 * 1024), authorize("catalog.entity.refresh", entityRefInBody), validJson(refreshBody), async (c) => {
    const raw = c.req.valid("json").entityRef;
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(raw));
    } catch (err) {
      throw new ApiError("InputError", (err as Error).message);
    }
    if (!(await getEntityJsonByRef(c.env.DB, ref))) throw new ApiError("NotFoundError", `Entity ${ref} not found`);
    const location = await getLocationByEntityRef(c.env.DB, ref);
    // Only locations the worker can read itself are re-read; file: locations are pushed by catalog:load.
    if (location && ALLOWED_TYPES.includes(location.type)) {
      await enqueue(c.env, { type: "refresh-location", locationKey: locationKeyOf(location) });
    }
    return c.body(null, 200);
  });
