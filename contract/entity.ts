/**
 * Catalog entities as the API serves them (Backstage's `backstage.io/v1alpha1` envelope): the one declaration
 * the worker's model and store produce and the portal reads. Types only; no runtime code.
 */

export interface EntityLink {
  url: string;
  title?: string;
  icon?: string;
  type?: string;
}

export interface EntityMeta {
  name: string;
  namespace?: string;
  title?: string;
  description?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  tags?: string[];
  links?: EntityLink[];
  /** Set by the catalog when it stores the entity. */
  uid?: string;
  etag?: string;
  [key: string]: unknown;
}

export interface EntityRelation {
  type: string;
  /** Full lower-cased ref, e.g. `group:default/team-a`. */
  targetRef: string;
}

/** One item of `status.items`, Backstage's per-entity processing status. */
export interface StatusItem {
  type: string;
  level: "info" | "warning" | "error";
  message: string;
  error?: { name: string; message: string };
  /** The plugin that recorded it (PluginProblems); absent for the catalog's own processing errors. */
  plugin?: string;
}

export interface Entity {
  apiVersion: string;
  kind: string;
  metadata: EntityMeta;
  spec?: Record<string, unknown>;
  relations?: EntityRelation[];
  status?: { items: StatusItem[] };
}

/** A `fields`-projected entity (`?fields=kind,metadata.name`): any part may be missing. */
export type PartialEntity = {
  apiVersion?: string;
  kind?: string;
  metadata?: Partial<EntityMeta>;
  spec?: Record<string, unknown>;
  relations?: EntityRelation[];
  status?: { items: StatusItem[] };
};

export interface CompoundEntityRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Why a file, or one document in it, was rejected, as `GET /api/catalog/processing-errors` and the
 * entity-info endpoint list it: the file, the document, the field and the reason.
 */
export interface ProcessingError {
  /** Location key of the file, `<type>:<target>`. */
  location: string;
  /** Ref of the entity the document describes, when it could be worked out. */
  entityRef: string | null;
  /** 0-based document index; null when the whole file failed. */
  docIndex: number | null;
  /** Dotted field path (`spec.owner`); null when not about one field. */
  field: string | null;
  /** 1-based line of the document (or YAML error), when known. */
  line: number | null;
  /** Backstage error name: InputError, NotFoundError, ConflictError, ... */
  name: string;
  message: string;
  commitSha: string | null;
  /** ISO 8601. */
  createdAt: string;
  /**
   * The plugin that recorded it against the entity (a docs build failure, ...); absent for the catalog's own
   * errors. `location` is then `plugin:<id>`.
   */
  plugin?: string;
}
