/**
 * GET|POST /locations, POST /locations/by-query, GET|DELETE /locations/:id, GET /locations/by-entity/:kind/:namespace/:name,
 * POST /refresh — Backstage's location endpoints (spec §D.4, §D.8). Registration answers at once; the
 * location is read in the background through the JOBS queue.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { authorize, entityRefInBody } from "../../access";
import { ApiError } from "../../errors";
import { limitBody, readJsonObject, requireString } from "../../http";
import { createLocation, deleteLocation, findLocationByKey, getLocation, getLocationByEntityRef, listLocations, locationKeyOf } from "../store/locations";
import { dryRunLocation } from "../dry-run";
import { getEntityJsonByRef } from "../store/read";
import { parseEntityRef, stringifyEntityRef } from "../entity-ref";
import { enqueue } from "../../jobs/enqueue";

const ALLOWED_TYPES = ["url"];

function parseLocationBody(body: Record<string, unknown>) {
  for (const key of Object.keys(body)) {
    if (!["type", "target", "presence"].includes(key)) throw new ApiError("InputError", `Invalid location: unknown field '${key}'`);
  }
  const type = requireString(body, "type", "location");
  const target = requireString(body, "target", "location");
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

export const locationRoutes = new Hono<AppEnv>()
  .get("/locations", authorize("catalog.location.read"), async (c) => {
    const locations = await listLocations(c.env.DB);
    return c.json(locations.map((data) => ({ data })));
  })

  .post("/locations/by-query", authorize("catalog.location.read"), limitBody(64 * 1024), async (c) => {
    const body = await readJsonObject(c).catch(() => ({}) as Record<string, unknown>);
    const limit = typeof body.limit === "number" && body.limit > 0 ? Math.min(body.limit, 10_000) : 1000;
    const offset = typeof body.cursor === "string" && /^\d+$/.test(body.cursor) ? Number(body.cursor) : 0;
    const all = await listLocations(c.env.DB);
    const items = all.slice(offset, offset + limit);
    return c.json({ items, totalItems: all.length, pageInfo: offset + limit < all.length ? { nextCursor: String(offset + limit) } : {} });
  })

  .post("/locations", authorize("catalog.location.create"), limitBody(64 * 1024), async (c) => {
    const spec = parseLocationBody(await readJsonObject(c));
    const dryRun = c.req.query("dryRun") === "true";
    const onConflict = c.req.query("onConflict") ?? "reject";
    if (onConflict !== "reject" && onConflict !== "refresh") throw new ApiError("InputError", "Invalid onConflict, must be reject or refresh");
    if (dryRun) return c.json(await dryRunLocation(c.env.DB, spec), 201);
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

  .post("/refresh", limitBody(64 * 1024), authorize("catalog.entity.refresh", entityRefInBody), async (c) => {
    const body = await readJsonObject(c);
    const raw = requireString(body, "entityRef");
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
