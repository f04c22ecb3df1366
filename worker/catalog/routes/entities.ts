/**
 * GET /entities, GET /entities/by-query, GET|DELETE /entities/by-uid/:uid, GET /entities/by-name/:kind/:namespace/:name[/ancestry],
 * POST /entities/by-refs — Backstage's catalog entity endpoints (spec §D.4–D.7).
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../env";
import { authorize } from "../../access";
import { ApiError } from "../../errors";
import { jsonText, limitBody, validJson, validQuery } from "../../http";
import {
  allParams,
  cursorParam,
  encodeCursor,
  fieldsParam,
  filterParam,
  filterSchema,
  firstParam,
  fullTextSchema,
  intParam,
  MAX_LIMIT,
  MAX_LIST_OFFSET,
  MAX_ORDER_FIELDS,
  MAX_QUERY_WINDOW,
  nonNegativeInt,
  optionalCursorParam,
  orderFieldSchema,
  parsedBy,
  parseFieldsParams,
  parseOrderFieldParams,
  parseOrderParams,
  type EntityFilter,
  type OrderField,
} from "../query";
import { projectFields, renderEntityList } from "../fields";
import { renderEntities, revsFingerprint } from "../entity-cache";
import { cachesOn } from "../read-cache";
import { getAncestry, getEntityRevsByRefs, type FullTextFilter, type KeysetPosition, type ListQuery, type ListRow } from "../store/read";
import { getEntityJsonByRef, getEntityJsonByUid, getEntityJsonsByRefs, listEntityJsons, listEntityRows, queryEntityPage, type CatalogDb } from "../store/sharded-read";
import { catalogDb } from "../catalog-db";
import { readOnlyRequest } from "../../db/session";
import { catalogShards } from "../store/shards";
import { deleteEntityByUid } from "../store/delete-entity";
import { cachedRead, dependsOnFeed, dependsOnKinds, readDb, sameAnswerAs } from "../read-cache";
import { answerKeys, filterKinds, refKinds } from "../cache-tags";

const DEFAULT_LIMIT = 200;
/** by-refs: refs per request, and the body size that keeps their JSON under D1's 2 MB per bound value. */
const MAX_REFS = 10_000;
const MAX_BY_REFS_BODY = 2_000_000;
/** Longer than any ref the catalog can hold (kind, namespace and name are at most 63 characters each). */
const MAX_REF_CHARS = 1024;

interface QueryCursor {
  filter: EntityFilter;
  order?: OrderField;
  fullText?: FullTextFilter;
  position: KeysetPosition;
  backwards: boolean;
  totalItems: number;
}

const queryCursor = v.object({
  filter: filterSchema,
  order: v.optional(orderFieldSchema),
  fullText: v.optional(fullTextSchema),
  position: v.object({ value: v.nullable(v.string()), id: v.pipe(v.number(), v.safeInteger()) }),
  backwards: v.boolean(),
  totalItems: nonNegativeInt,
}) satisfies v.GenericSchema<unknown, QueryCursor>;

const listQuery = v.object({
  filter: filterParam,
  fields: fieldsParam,
  order: v.optional(v.pipe(allParams("order", MAX_ORDER_FIELDS), parsedBy(parseOrderParams)), []),
  limit: intParam("limit", { min: 1, max: MAX_LIMIT }),
  offset: intParam("offset", { min: 0, max: MAX_LIST_OFFSET }),
  after: v.optional(
    cursorParam("after", v.object({ limit: v.pipe(nonNegativeInt, v.minValue(1), v.maxValue(MAX_LIMIT)), offset: v.pipe(nonNegativeInt, v.maxValue(MAX_LIST_OFFSET)) })),
  ),
});

const byQuery = v.pipe(
  v.object({
    filter: filterParam,
    fields: fieldsParam,
    orderField: v.optional(v.pipe(allParams("orderField"), parsedBy(parseOrderFieldParams))),
    fullTextFilterTerm: v.optional(v.pipe(firstParam("fullTextFilterTerm"), v.transform((s) => s.trim().toLowerCase()))),
    fullTextFilterFields: v.optional(v.pipe(allParams("fullTextFilterFields"), parsedBy((p: string[]) => parseFieldsParams(p, "fullTextFilterFields")))),
    limit: intParam("limit", { min: 1, max: MAX_LIMIT }),
    offset: intParam("offset", { min: 0, max: MAX_QUERY_WINDOW }),
    // An empty cursor is no cursor.
    cursor: optionalCursorParam("cursor", queryCursor),
    totalItems: v.optional(firstParam("totalItems")),
  }),
  v.check(
    (q) => (q.offset ?? 0) + (q.limit ?? DEFAULT_LIMIT) <= MAX_QUERY_WINDOW,
    `Invalid offset, offset + limit must be at most ${MAX_QUERY_WINDOW}: page further with the cursor`,
  ),
);

const fieldsOnly = v.object({ fields: fieldsParam });

const byRefsBody = v.object({
  entityRefs: v.pipe(
    v.array(v.pipe(v.string(), v.maxLength(MAX_REF_CHARS, `Invalid body: an entity ref is at most ${MAX_REF_CHARS} characters`)), "Invalid body: 'entityRefs' must be an array of strings"),
    v.maxLength(MAX_REFS, `Invalid body: at most ${MAX_REFS} entityRefs per request`),
  ),
  fields: v.optional(v.pipe(v.array(v.string(), "Invalid body: 'fields' must be an array of strings"), parsedBy((p: string[]) => parseFieldsParams(p)))),
});

function entityResponse(json: string, fields: string[] | undefined): string {
  return fields ? JSON.stringify(projectFields(JSON.parse(json), fields)) : json;
}

/** Rows per D1 query when GET /entities streams the whole (filtered) catalog. */
export const STREAM_CHUNK_ROWS = 500;

/**
 * GET /entities without a limit answers every matching entity, which at 100,000 entities is more than an
 * isolate's memory or one D1 result can hold: the array is streamed, a chunk of rows per query (keyset on
 * the ref when unordered, offsets under order fields). The first chunk is read before answering, so a
 * failure there is still an error response.
 */
async function streamEntityList(db: CatalogDb, q: Omit<ListQuery, "limit" | "afterRef">, fields: string[] | undefined): Promise<Response> {
  const encoder = new TextEncoder();
  const render = (rows: ListRow[]) => renderEntityList(rows.map((r) => r.json), fields).slice(1, -1);
  let offset = q.offset;
  let afterRef: string | undefined;
  const next = async () => {
    const rows = await listEntityRows(db, { ...q, offset, afterRef, limit: STREAM_CHUNK_ROWS });
    if (q.order.length) offset += rows.length;
    else (afterRef = rows.at(-1)?.ref), (offset = 0);
    return rows;
  };
  let rows = await next();
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (rows.length) controller.enqueue(encoder.encode((first ? "[" : ",") + render(rows)));
      else if (first) controller.enqueue(encoder.encode("["));
      first = false;
      // A short chunk is the last one; a full one may be followed by an empty one.
      if (rows.length === STREAM_CHUNK_ROWS) rows = await next();
      else rows = [];
      if (!rows.length) {
        controller.enqueue(encoder.encode("]"));
        controller.close();
      }
    },
  });
  return new Response(body, { headers: { "content-type": "application/json; charset=UTF-8" } });
}

export const entityRoutes = new Hono<AppEnv>()
  .get("/entities", authorize("catalog.entity.read"), validQuery(listQuery), cachedRead(), async (c) => {
    const q = c.req.valid("query");
    const { filter, fields, order } = q;
    dependsOnKinds(c, filterKinds(filter));
    // The `after` cursor of a Link header carries the page it points at.
    const limit = q.after?.limit ?? q.limit;
    const offset = q.after?.offset ?? q.offset ?? 0;
    if (limit === undefined) return streamEntityList(catalogShards(c.env) ?? c.get("sessionDb") ?? c.env.DB, { filter, order, offset }, fields);
    const jsons = await listEntityJsons(catalogDb(c), { filter, order, offset, limit: limit + 1 });
    if (jsons.length > limit) {
      jsons.pop();
      const url = new URL(c.req.url);
      url.searchParams.delete("offset");
      url.searchParams.set("after", encodeCursor({ limit, offset: offset + limit }));
      c.header("Link", `<${url.pathname.replace(/^.*\/entities$/, "/entities")}${url.search}>; rel="next"`);
    }
    return jsonText(c, renderEntityList(jsons, fields));
  })

  .get("/entities/by-query", authorize("catalog.entity.read"), validQuery(byQuery), cachedRead(), async (c) => {
    const params = c.req.valid("query");
    const { fields } = params;
    const limit = params.limit ?? DEFAULT_LIMIT;
    const offset = params.offset ?? 0;
    let query: Omit<QueryCursor, "position" | "backwards" | "totalItems">;
    let position: KeysetPosition | undefined;
    let backwards = false;
    let totalItems: number | undefined;
    if (params.cursor) {
      const cursor = params.cursor;
      ({ position, backwards, totalItems } = cursor);
      query = { filter: cursor.filter, order: cursor.order, fullText: cursor.fullText };
    } else {
      const order = params.orderField;
      const term = params.fullTextFilterTerm ?? "";
      query = {
        filter: params.filter,
        order,
        fullText: term ? { term, fields: params.fullTextFilterFields ?? [order?.field ?? "metadata.uid"] } : undefined,
      };
    }
    dependsOnKinds(c, filterKinds(query.filter));
    const countTotal = totalItems === undefined && params.totalItems !== "exclude";
    // With the caches on, the page reads ids and revs and takes unchanged entities' JSON from the entity cache.
    const idsOnly = cachesOn(c.env);
    const db = catalogDb(c);
    const page = await queryEntityPage(db, { ...query, limit: limit + offset, after: position, backwards, withTotal: countTotal, idsOnly });
    const positions = page.positions.slice(offset);
    const total = totalItems ?? page.totalItems ?? 0;
    const pageInfo: { nextCursor?: string; prevCursor?: string } = {};
    const more = (pos: KeysetPosition, back: boolean) => encodeCursor({ ...query, position: pos, backwards: back, totalItems: total } satisfies QueryCursor);
    if (positions.length) {
      const hasNext = backwards ? true : page.hasMore;
      const hasPrev = backwards ? page.hasMore : Boolean(position) || offset > 0;
      if (hasNext) pageInfo.nextCursor = more(positions[positions.length - 1], false);
      if (hasPrev) pageInfo.prevCursor = more(positions[0], true);
    }
    const pageInfoJson = JSON.stringify(pageInfo);
    let jsons = page.jsons.slice(offset);
    if (idsOnly) {
      const rows = page.rows.slice(offset);
      // The entities it shows, and the keys that pick them (filter, full text), order them (and the cursors).
      const keys = answerKeys(query.filter, [...(query.order ? [query.order.field] : []), ...(query.fullText?.fields ?? [])]);
      dependsOnFeed(c, { ids: rows.map((r) => r.id), keys });
      if (sameAnswerAs(c, `${revsFingerprint(rows)}|${total}|${pageInfoJson}`)) return c.body(null, 204);
      const rendered = await renderEntities(readDb(c), rows);
      c.header("x-entity-cache", `${rendered.hits}/${rendered.jsons.length}`);
      // An entity removed between the two reads is left out, as a read a moment later would.
      jsons = rendered.jsons.filter((j): j is string => j !== null);
    }
    return jsonText(c, `{"items":${renderEntityList(jsons, fields)},"totalItems":${total},"pageInfo":${pageInfoJson}}`);
  })

  .get("/entities/by-uid/:uid", authorize("catalog.entity.read"), validQuery(fieldsOnly), async (c) => {
    const uid = c.req.param("uid");
    const json = await getEntityJsonByUid(catalogDb(c), uid);
    if (!json) throw new ApiError("NotFoundError", `No entity with uid ${uid}`);
    return jsonText(c, entityResponse(json, c.req.valid("query").fields));
  })

  .delete("/entities/by-uid/:uid", authorize("catalog.entity.delete"), async (c) => {
    await deleteEntityByUid(c.env.DB, c.req.param("uid"));
    return c.body(null, 204);
  })

  .get("/entities/by-name/:kind/:namespace/:name", authorize("catalog.entity.read"), validQuery(fieldsOnly), async (c) => {
    const { kind, namespace, name } = c.req.param();
    const json = await getEntityJsonByRef(catalogDb(c), `${kind}:${namespace}/${name}`);
    if (!json) throw new ApiError("NotFoundError", `No entity named '${name}' found, with kind '${kind}' in namespace '${namespace}'`);
    return jsonText(c, entityResponse(json, c.req.valid("query").fields));
  })

  .get("/entities/by-name/:kind/:namespace/:name/ancestry", authorize("catalog.entity.read"), async (c) => {
    const { kind, namespace, name } = c.req.param();
    const ref = `${kind}:${namespace}/${name}`.toLowerCase();
    const rows = await getAncestry(readDb(c), ref);
    if (!rows.length) throw new ApiError("NotFoundError", `No such entity ${ref}`);
    const items = rows.map((r) => `{"entity":${r.json},"parentEntityRefs":${JSON.stringify(r.parentRef ? [r.parentRef] : [])}}`);
    return jsonText(c, `{"rootEntityRef":${JSON.stringify(ref)},"items":[${items.join(",")}]}`);
  })

  .post(
    "/entities/by-refs",
    readOnlyRequest(),
    authorize("catalog.entity.read"),
    limitBody(MAX_BY_REFS_BODY),
    validQuery(v.object({ filter: filterParam })),
    validJson(byRefsBody),
    cachedRead(),
    async (c) => {
      const { entityRefs, fields } = c.req.valid("json");
      dependsOnKinds(c, refKinds(entityRefs));
      // Made of the entities under these refs (what the query below compares entities.ref with: SQLite's lower(),
      // which folds ASCII letters only); which ones it holds is fixed, and the filter reads only theirs.
      dependsOnFeed(c, { refs: entityRefs.map((r) => r.replace(/[A-Z]+/g, (m) => m.toLowerCase())) });
      const filter = c.req.valid("query").filter;
      let jsons: (string | null)[];
      if (cachesOn(c.env)) {
        const rows = await getEntityRevsByRefs(readDb(c), entityRefs, filter);
        if (sameAnswerAs(c, revsFingerprint(rows))) return c.body(null, 204);
        const rendered = await renderEntities(readDb(c), rows);
        c.header("x-entity-cache", `${rendered.hits}/${rendered.hits + rendered.misses}`);
        jsons = rendered.jsons;
      } else {
        jsons = await getEntityJsonsByRefs(catalogDb(c), entityRefs, filter);
      }
      return jsonText(c, `{"items":${renderEntityList(jsons, fields)}}`);
    },
  );
