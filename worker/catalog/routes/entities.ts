/**
 * GET /entities, GET /entities/by-query, GET|DELETE /entities/by-uid/:uid, GET /entities/by-name/:kind/:namespace/:name[/ancestry],
 * POST /entities/by-refs — Backstage's catalog entity endpoints (spec §D.4–D.7).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { authorize } from "../../access";
import { ApiError } from "../../errors";
import { jsonText, limitBody, readJsonObject } from "../../http";
import { decodeCursor, encodeCursor, parseFieldsParams, parseFilterParams, parseIntParam, parseOrderFieldParams, parseOrderParams, type EntityFilter, type OrderField } from "../query";
import { projectFields, renderEntityList } from "../fields";
import { getAncestry, getEntityJsonByRef, getEntityJsonByUid, getEntityJsonsByRefs, listEntityJsons, listEntityRows, queryEntityPage, type FullTextFilter, type KeysetPosition, type ListQuery, type ListRow } from "../store/read";
import { deleteEntityByUid } from "../store/delete-entity";
import { cachedRead, readDb } from "../read-cache";

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 10_000;

interface QueryCursor {
  filter: EntityFilter;
  order?: OrderField;
  fullText?: FullTextFilter;
  position: KeysetPosition;
  backwards: boolean;
  totalItems: number;
}

function isQueryCursor(v: unknown): v is QueryCursor {
  const c = v as QueryCursor;
  return (
    typeof c === "object" && c !== null && typeof c.filter === "object" && Array.isArray(c.filter?.anyOf) &&
    typeof c.position === "object" && c.position !== null && Number.isInteger(c.position.id) &&
    typeof c.backwards === "boolean" && typeof c.totalItems === "number"
  );
}

function entityResponse(c: { req: { queries: (k: string) => string[] | undefined } }, json: string): string {
  const fields = parseFieldsParams(c.req.queries("fields") ?? []);
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
async function streamEntityList(db: D1Database, q: Omit<ListQuery, "limit" | "afterRef">, fields: string[] | undefined): Promise<Response> {
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
  .get("/entities", authorize("catalog.entity.read"), cachedRead(), async (c) => {
    const filter = parseFilterParams(c.req.queries("filter") ?? []);
    const fields = parseFieldsParams(c.req.queries("fields") ?? []);
    const order = parseOrderParams(c.req.queries("order") ?? []);
    let limit = parseIntParam(c.req.query("limit"), "limit", { min: 1, max: MAX_LIMIT });
    let offset = parseIntParam(c.req.query("offset"), "offset", { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0;
    const after = c.req.query("after");
    if (after !== undefined) {
      if (!after) throw new ApiError("InputError", "Invalid after, must not be empty");
      const decoded = decodeCursor(after, (v): v is { limit: number; offset: number } =>
        typeof v === "object" && v !== null && Number.isInteger((v as { limit: number }).limit) && Number.isInteger((v as { offset: number }).offset));
      limit = decoded.limit;
      offset = decoded.offset;
    }
    const paged = limit !== undefined;
    if (!paged) return streamEntityList(c.env.DB, { filter, order, offset }, fields);
    const jsons = await listEntityJsons(readDb(c), { filter, order, offset, limit: limit! + 1 });
    if (paged && jsons.length > limit!) {
      jsons.pop();
      const url = new URL(c.req.url);
      url.searchParams.delete("offset");
      url.searchParams.set("after", encodeCursor({ limit, offset: offset + limit! }));
      c.header("Link", `<${url.pathname.replace(/^.*\/entities$/, "/entities")}${url.search}>; rel="next"`);
    }
    return jsonText(c, renderEntityList(jsons, fields));
  })

  .get("/entities/by-query", authorize("catalog.entity.read"), cachedRead(), async (c) => {
    const fields = parseFieldsParams(c.req.queries("fields") ?? []);
    const limit = parseIntParam(c.req.query("limit"), "limit", { min: 1, max: MAX_LIMIT }) ?? DEFAULT_LIMIT;
    const offset = parseIntParam(c.req.query("offset"), "offset", { min: 0, max: 100_000 }) ?? 0;
    const cursorParam = c.req.query("cursor");
    let query: Omit<QueryCursor, "position" | "backwards" | "totalItems">;
    let position: KeysetPosition | undefined;
    let backwards = false;
    let totalItems: number | undefined;
    if (cursorParam) {
      const cursor = decodeCursor(cursorParam, isQueryCursor);
      ({ position, backwards, totalItems } = cursor);
      query = { filter: cursor.filter, order: cursor.order, fullText: cursor.fullText };
    } else {
      const order = parseOrderFieldParams(c.req.queries("orderField") ?? []);
      const term = (c.req.query("fullTextFilterTerm") ?? "").trim().toLowerCase();
      const ftFields = parseFieldsParams(c.req.queries("fullTextFilterFields") ?? []);
      query = {
        filter: parseFilterParams(c.req.queries("filter") ?? []),
        order,
        fullText: term ? { term, fields: ftFields ?? [order?.field ?? "metadata.uid"] } : undefined,
      };
    }
    const countTotal = totalItems === undefined && c.req.query("totalItems") !== "exclude";
    const page = await queryEntityPage(readDb(c), { ...query, limit: limit + offset, after: position, backwards, withTotal: countTotal });
    const jsons = page.jsons.slice(offset);
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
    return jsonText(c, `{"items":${renderEntityList(jsons, fields)},"totalItems":${total},"pageInfo":${JSON.stringify(pageInfo)}}`);
  })

  .get("/entities/by-uid/:uid", authorize("catalog.entity.read"), async (c) => {
    const uid = c.req.param("uid");
    const json = await getEntityJsonByUid(c.env.DB, uid);
    if (!json) throw new ApiError("NotFoundError", `No entity with uid ${uid}`);
    return jsonText(c, entityResponse(c, json));
  })

  .delete("/entities/by-uid/:uid", authorize("catalog.entity.delete"), async (c) => {
    await deleteEntityByUid(c.env.DB, c.req.param("uid"));
    return c.body(null, 204);
  })

  .get("/entities/by-name/:kind/:namespace/:name", authorize("catalog.entity.read"), async (c) => {
    const { kind, namespace, name } = c.req.param();
    const json = await getEntityJsonByRef(c.env.DB, `${kind}:${namespace}/${name}`);
    if (!json) throw new ApiError("NotFoundError", `No entity named '${name}' found, with kind '${kind}' in namespace '${namespace}'`);
    return jsonText(c, entityResponse(c, json));
  })

  .get("/entities/by-name/:kind/:namespace/:name/ancestry", authorize("catalog.entity.read"), async (c) => {
    const { kind, namespace, name } = c.req.param();
    const ref = `${kind}:${namespace}/${name}`.toLowerCase();
    const rows = await getAncestry(c.env.DB, ref);
    if (!rows.length) throw new ApiError("NotFoundError", `No such entity ${ref}`);
    const items = rows.map((r) => `{"entity":${r.json},"parentEntityRefs":${JSON.stringify(r.parentRef ? [r.parentRef] : [])}}`);
    return jsonText(c, `{"rootEntityRef":${JSON.stringify(ref)},"items":[${items.join(",")}]}`);
  })

  .post("/entities/by-refs", authorize("catalog.entity.read"), limitBody(4 * 1024 * 1024), cachedRead(), async (c) => {
    const body = await readJsonObject(c);
    const refs = body.entityRefs;
    if (!Array.isArray(refs) || refs.some((r) => typeof r !== "string")) {
      throw new ApiError("InputError", "Invalid body: 'entityRefs' must be an array of strings");
    }
    if (refs.length > 10_000) throw new ApiError("InputError", "Invalid body: at most 10000 entityRefs per request");
    let fields: string[] | undefined;
    if (body.fields !== undefined) {
      if (!Array.isArray(body.fields) || body.fields.some((f) => typeof f !== "string")) {
        throw new ApiError("InputError", "Invalid body: 'fields' must be an array of strings");
      }
      fields = parseFieldsParams(body.fields as string[]);
    }
    const filter = parseFilterParams(c.req.queries("filter") ?? []);
    const jsons = await getEntityJsonsByRefs(readDb(c), refs as string[], filter);
    return jsonText(c, `{"items":${renderEntityList(jsons, fields)}}`);
  });
