/**
 * Edgestage extensions under /api/catalog: GET /changes (change log), GET /processing-errors,
 * GET /entity-info/:kind/:namespace/:name (provenance + errors), GET /graph (relations around an entity).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { authorize } from "../../access";
import { ApiError } from "../../errors";
import { decodeCursor, encodeCursor, parseIntParam } from "../query";
import { listChanges } from "../store/changes";
import { getEntityInfo, listProcessingErrors } from "../store/processing-errors";
import { getGraph } from "../store/graph";

function parseSince(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new ApiError("InputError", `Invalid since '${value}': expected an ISO date or epoch milliseconds`);
  return ms;
}

export const extraRoutes = new Hono<AppEnv>()
  .get("/changes", authorize("catalog.entity.read"), async (c) => {
    const limit = parseIntParam(c.req.query("limit"), "limit", { min: 1, max: 500 }) ?? 50;
    const cursor = c.req.query("cursor");
    const beforeId = cursor ? decodeCursor(cursor, (v): v is { before: number } => Number.isInteger((v as { before?: number })?.before)).before : undefined;
    const { items, hasMore } = await listChanges(c.env.DB, {
      entityRef: c.req.query("entityRef") || undefined,
      owner: c.req.query("owner") || undefined,
      since: parseSince(c.req.query("since")),
      beforeId,
      limit,
    });
    const pageInfo = hasMore && items.length ? { nextCursor: encodeCursor({ before: items[items.length - 1].id }) } : {};
    return c.json({ items, pageInfo });
  })

  .get("/processing-errors", authorize("catalog.entity.read"), async (c) => {
    const limit = parseIntParam(c.req.query("limit"), "limit", { min: 1, max: 1000 }) ?? 200;
    const items = await listProcessingErrors(c.env.DB, {
      entityRef: c.req.query("entityRef") || undefined,
      location: c.req.query("location") || undefined,
      limit,
    });
    return c.json({ items });
  })

  .get("/entity-info/:kind/:namespace/:name", authorize("catalog.entity.read"), async (c) => {
    const { kind, namespace, name } = c.req.param();
    const info = await getEntityInfo(c.env.DB, `${kind}:${namespace}/${name}`);
    if (!info) throw new ApiError("NotFoundError", `No entity named '${name}' found, with kind '${kind}' in namespace '${namespace}'`);
    return c.json(info);
  })

  .get("/graph", authorize("catalog.entity.read"), async (c) => {
    const root = c.req.query("root");
    if (!root || !/^[^:]+:[^/]+\/.+$/.test(root)) throw new ApiError("InputError", "Invalid root: expected a full entity ref like component:default/name");
    const depth = Number(c.req.query("depth") ?? 1);
    if (!Number.isInteger(depth) || depth < 1 || depth > 4) throw new ApiError("InputError", "Invalid depth: must be an integer from 1 to 4");
    const maxNodes = parseIntParam(c.req.query("maxNodes"), "limit", { min: 1, max: 1000 }) ?? 300;
    const relations = (c.req.query("relations") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    return c.json(await getGraph(c.env.DB, { root, depth, relations, maxNodes }));
  });
