/**
 * Response bodies of the catalog API the portal reads: Backstage's catalog REST API (`/api/catalog/entities/...`)
 * plus Edgestage's extras (changes, processing errors, entity info, graph, search). The worker's stores return
 * these shapes and the portal's api/ modules parse them, so a field renamed on one side fails the typecheck
 * on the other. Types only.
 */
import type { PartialEntity, ProcessingError } from "./entity";

/** `GET /entities/by-query`: a page of (possibly `fields`-projected) entities. */
export interface QueryEntitiesResponse<T = PartialEntity> {
  items: T[];
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

/** `POST /entities/by-refs`: one item per requested ref, in order, null where none exists (or may not be read). */
export interface ByRefsResponse<T = PartialEntity> {
  items: (T | null)[];
}

export interface FacetValue {
  value: string;
  count: number;
}

/** `GET /entity-facets?facet=...`. */
export interface FacetsResponse {
  facets: Record<string, FacetValue[]>;
}

/** One changed field of an update; a side is absent when the field did not exist in that version. */
export interface FieldDiff {
  path: string;
  before?: unknown;
  after?: unknown;
}

/** Days the change log keeps a change (worker/db/retention.ts prunes older ones; the entity history says so). */
export const CHANGE_LOG_RETENTION_DAYS = 180;

/** One entry of `GET /api/catalog/changes`. */
export interface ChangeItem {
  id: number;
  entityRef: string;
  kind: string;
  owner: string | null;
  action: "added" | "updated" | "removed";
  diff: FieldDiff[] | null;
  location: string;
  commitSha: string | null;
  actor: string | null;
  /** ISO 8601. */
  createdAt: string;
}

export interface ChangesResponse {
  items: ChangeItem[];
  pageInfo: { nextCursor?: string };
}

/** `GET /api/catalog/processing-errors`. */
export interface ProcessingErrorsResponse {
  items: ProcessingError[];
}

/** The commit that last wrote an entity's file, when it came from GitHub. */
export interface Provenance {
  repo: string | null;
  path: string | null;
  commitSha: string;
  actor: string | null;
  /** Commit time, epoch milliseconds. */
  committedAt: number | null;
}

/** `GET /api/catalog/entity-info/:kind/:namespace/:name`: where an entity came from and what went wrong with its file. */
export interface EntityInfo {
  ref: string;
  locationKey: string;
  originKey: string;
  provenance: Provenance | null;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  errors: ProcessingError[];
}

export interface GraphNode {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  /** Hops from the root. */
  depth: number;
  /** Named by a relation but not in the catalog (or not readable). */
  missing?: boolean;
}

export interface GraphEdge {
  source: string;
  type: string;
  target: string;
}

/** `GET /api/catalog/graph`. */
export interface GraphResponse {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

/** Matched parts wrapped in `<mark>`, everything else HTML-escaped; a field is absent when nothing matched in it. */
export interface SearchHighlights {
  ref?: string;
  name?: string;
  title?: string;
  description?: string;
  tags?: string;
}

export interface SearchItem {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  description: string | null;
  highlights: SearchHighlights;
}

/** `GET /api/search`. */
export interface SearchResponse {
  items: SearchItem[];
  total: number;
}
