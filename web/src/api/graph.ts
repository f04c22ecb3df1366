/** Edgestage's relation graph: `GET /api/catalog/graph`. */
import { query } from "@solidjs/router";
import type { GraphResponse } from "../../../contract/catalog-api";
import { withQuery } from "./params";
import { request } from "./request";

export interface GraphQuery {
  root: string;
  depth: number;
  relations?: readonly string[];
  maxNodes?: number;
}

export function graphPath(q: GraphQuery): string {
  return withQuery("/api/catalog/graph", {
    root: q.root,
    depth: q.depth,
    relations: q.relations && q.relations.length ? q.relations.join(",") : undefined,
    maxNodes: q.maxNodes,
  });
}

export const getGraph = query((q: GraphQuery) => request<GraphResponse>(graphPath(q)), "graph");
