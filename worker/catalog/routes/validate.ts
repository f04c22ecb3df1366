/**
 * POST /validate-entity — runs the full processing pipeline on one entity without storing it (spec §D.9).
 * Placeholders are resolved over the network only for callers who may register locations: anyone else
 * gets a problem naming that rule instead of making the worker fetch for them.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { authorize, can } from "../../access";
import { limitBody, readJsonObject } from "../../http";
import { createReadBudget } from "../../net/budget";
import { MAX_PLACEHOLDERS_PER_ENTITY } from "../placeholders";
import { processFile } from "../process-file";
import { createCatalogUrlReader, refusingReader } from "../url-reader";

export const validateRoutes = new Hono<AppEnv>().post("/validate-entity", authorize("catalog.entity.validate"), limitBody(4 * 1024 * 1024), async (c) => {
  const body = await readJsonObject(c);
  const location = body.location;
  const sep = typeof location === "string" ? location.indexOf(":") : -1;
  if (typeof location !== "string" || sep < 1 || location.slice(0, sep) !== "url" || !location.slice(sep + 1)) {
    const message = `Invalid location ref ${String(location)}, only 'url:<target>' is supported, e.g. url:https://host/path`;
    return c.json({ errors: [{ name: "TypeError", message }] }, 400);
  }
  const entity = body.entity;
  if (typeof entity !== "object" || entity === null || Array.isArray(entity)) {
    return c.json({ errors: [{ name: "InputError", message: "Invalid body: 'entity' must be an object" }] }, 400);
  }
  const spec = { type: "url", target: location.slice(sep + 1) };
  const read = can(c, "catalog.location.create")
    ? createCatalogUrlReader(c.env, spec, createReadBudget(MAX_PLACEHOLDERS_PER_ENTITY))
    : refusingReader("Placeholders are not resolved for this caller: reading files needs the catalog.location.create permission");
  const result = await processFile({ location: spec, origin: location, content: JSON.stringify(entity), read });
  if (result.problems.length) {
    return c.json({ errors: result.problems.map((p) => ({ name: p.name, message: p.field ? `${p.message} (field ${p.field})` : p.message })) }, 400);
  }
  return c.body(null, 200);
});
