/**
 * Edgestage extensions under /api/catalog: GET /changes (change log), GET /processing-errors,
 * GET /entity-info/:kind/:namespace/:name (provenance + errors), GET /graph (relations around an entity).
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../env";
import { authorize } from "../../access";
import { ApiError } from "../../errors";
import { validQuery } from "../../http";
import { cursorParam, encodeCursor, firstParam, intParam, nonNegativeInt, parsedBy, textParam } from "../query";
import { listChanges } from "../store/changes";
import { getEntityInfo, listProcessingErrors } from "../store/processing-errors";
import { getGraph } from "../store/graph";

/** Relation types a graph request may follow (Backstage's are camelCase words; plugins may add more). */
const MAX_GRAPH_RELATIONS = 50;
const RELATION_TYPE = /^[A-Za-z][\w.:/-]{0,99}$/;

function parseSince(value: string): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new ApiError("InputError", `Invalid since '${value}': expected an ISO date or epoch milliseconds`);
  return ms;
}

function parseDepth(value: string): number {
  const depth = Number(value);
  if (!Number.isInteger(depth) || depth < 1 || depth > 4) throw new ApiError("InputError", "Invalid depth: must be an integer from 1 to 4");
  return depth;
}

function parseRelations(value: string): string[] {
  const types = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (types.length > MAX_GRAPH_RELATIONS) throw new ApiError("InputError", `Invalid relations: at most ${MAX_GRAPH_RELATIONS} relation types`);
  const bad = types.find((t) => !RELATION_TYPE.test(t));
  if (bad !== undefined) throw new ApiError("InputError", `Invalid relations: '${bad}' is not a relation type`);
  return types;
}

const changesQuery = v.object({
  limit: intParam("limit", { min: 1, max: 500 }),
  cursor: v.optional(cursorParam("cursor", v.object({ before: nonNegativeInt }))),
  entityRef: textParam("entityRef"),
  owner: textParam("owner"),
  since: v.optional(v.pipe(firstParam("since"), parsedBy(parseSince))),
});

const errorsQuery = v.object({
  limit: intParam("limit", { min: 1, max: 1000 }),
  entityRef: textParam("entityRef"),
  location: textParam("location"),
});

const graphQuery = v.object({
  root: v.pipe(
    v.optional(firstParam("root"), ""),
    v.regex(/^[^:]+:[^/]+\/.+$/, "Invalid root: expected a full entity ref like component:default/name"),
  ),
  depth: v.optional(v.pipe(firstParam("depth"), parsedBy(parseDepth)), "1"),
  maxNodes: intParam("maxNodes", { min: 1, max: 1000 }),
  relations: v.optional(v.pipe(firstParam("relations"), parsedBy(parseRelations)), ""),
});

export const extraRoutes = new Hono<AppEnv>()
  .get("/changes", authorize("catalog.entity.read"), validQuery(changesQuery), async (c) => {
    const q = c.req.valid("query");
    const { items, hasMore } = await listChanges(c.env.DB, {
      entityRef: q.entityRef,
      owner: q.owner,
      since: q.since,
      beforeId: q.cursor?.before,
      limit: q.limit ?? 50,
    });
    const pageInfo = hasMore && items.length ? { nextCursor: encodeCursor({ before: items[items.length - 1].id }) } : {};
    return c.json({ items, pageInfo });
  })

  .get("/processing-errors", authorize("catalog.entity.read"), validQuery(errorsQuery), async (c) => {
    const q = c.req.valid("query");
    const items = await listProcessingErrors(c.env.DB, { entityRef: q.entityRef, location: q.location, limit: q.limit ?? 200 });
    return c.json({ items });
  })

  .get("/entity-info/:kind/:namespace/:name", authorize("catalog.entity.read"), async (c) => {
    const { kind, namespace, name } = c.req.param();
    const info = await getEntityInfo(c.env.DB, `${kind}:${namespace}/${name}`);
    if (!info) throw new ApiError("NotFoundError", `No entity named '${name}' found, with kind '${kind}' in namespace '${namespace}'`);
    return c.json(info);
  })

  .get("/graph", authorize("catalog.entity.read"), validQuery(graphQuery), async (c) => {
    const { root, depth, maxNodes, relations } = c.req.valid("query");
    return c.json(await getGraph(c.env.DB, { root, depth, relations, maxNodes: maxNodes ?? 300 }));
  });
