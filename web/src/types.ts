/** Shapes the portal reads from the worker's API (Backstage catalog REST API plus Edgestage's extras). */
import type { Component } from "solid-js";

export interface EntityLink {
  url: string;
  title?: string;
  icon?: string;
  type?: string;
}

export interface EntityRelation {
  type: string;
  targetRef: string;
}

export interface StatusItem {
  type: string;
  level: "info" | "warning" | "error";
  message: string;
  error?: { name: string; message: string };
}

export interface Entity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    tags?: string[];
    links?: EntityLink[];
    uid?: string;
    etag?: string;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  relations?: EntityRelation[];
  status?: { items?: StatusItem[] };
}

/** A `fields`-projected entity: any part may be missing. */
export type PartialEntity = {
  apiVersion?: string;
  kind?: string;
  metadata?: Partial<Entity["metadata"]>;
  spec?: Record<string, unknown>;
  relations?: EntityRelation[];
};

export interface CompoundEntityRef {
  kind: string;
  namespace: string;
  name: string;
}

export interface QueryEntitiesResponse<T = PartialEntity> {
  items: T[];
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface FacetsResponse {
  facets: Record<string, FacetValue[]>;
}

export interface ByRefsResponse<T = PartialEntity> {
  items: (T | null)[];
}

export interface FieldDiff {
  path: string;
  before: unknown;
  after: unknown;
}

export interface ChangeItem {
  id: string | number;
  entityRef: string;
  kind: string;
  action: "added" | "updated" | "removed";
  diff: FieldDiff[] | null;
  location: string | null;
  commitSha: string | null;
  actor: string | null;
  createdAt: string;
}

export interface ChangesResponse {
  items: ChangeItem[];
  pageInfo: { nextCursor?: string };
}

export interface ProcessingError {
  location: string;
  entityRef: string | null;
  docIndex: number | null;
  field: string | null;
  line: number | null;
  name: string;
  message: string;
  commitSha: string | null;
  createdAt: string;
}

export interface ProcessingErrorsResponse {
  items: ProcessingError[];
}

export interface Provenance {
  repo?: string;
  path?: string;
  commitSha?: string;
  actor?: string;
  committedAt?: string;
}

export interface EntityInfo {
  ref: string;
  locationKey: string | null;
  originKey: string | null;
  provenance: Provenance | null;
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
  missing?: boolean;
}

export interface GraphEdge {
  source: string;
  type: string;
  target: string;
}

export interface GraphResponse {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

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

export interface SearchResponse {
  items: SearchItem[];
  total: number;
}

/** A page a plugin adds to the portal; listed explicitly in web/src/plugins.ts. */
export interface PortalPlugin {
  id: string;
  title: string;
  /** Absolute path the page is mounted at, e.g. `/tech-radar`. */
  path: string;
  /** Name of one of the icons in components/Icon.tsx. */
  icon?: string;
  /** A `lazy(() => import(...))` component, so plugin code stays out of the initial bundle. */
  component: Component;
}
