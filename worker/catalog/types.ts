/** Catalog domain types shared by the model (pure), the store (D1) and the routes. */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type { CompoundEntityRef, Entity, EntityLink, EntityMeta, EntityRelation, StatusItem } from "../../contract/entity";
import type { Entity } from "../../contract/entity";

/** A location as Backstage spells it: `<type>:<target>`, e.g. `url:https://github.com/o/r/blob/main/catalog-info.yaml`. */
export interface LocationSpec {
  type: string;
  target: string;
}

/** One half of a relation pair as stored: `sourceRef --type--> targetRef` (both lower-cased refs). */
export interface RelationRow {
  sourceRef: string;
  type: string;
  targetRef: string;
}

/** One entity that passed processing: defaults filled, location annotations set, placeholders resolved. */
export interface ProcessedEntity {
  /** The entity as it will be served (no uid, etag, relations or status yet). */
  entity: Entity;
  /** Lower-cased `kind:namespace/name`. */
  ref: string;
  /** Both halves of every relation this entity emits, de-duplicated. */
  relations: RelationRow[];
  /** Index of the YAML document in its file (0-based). */
  docIndex: number;
  /** Search rows built while processing (before the store assigns uid and etag), so they are built once. */
  searchRows?: SearchRow[];
}

/** Why a file, or one document in it, was rejected. Every rejection names the file, the document, the field and the reason. */
export interface ProcessingProblem {
  /** The file (location key) the problem was found in. */
  location: string;
  /** 0-based document index, or null when the whole file failed (unreadable, not YAML). */
  docIndex: number | null;
  /** Ref of the entity the document describes, when it could be worked out. */
  entityRef: string | null;
  /** Dotted field path, e.g. `metadata.name` or `spec.owner`; null when not about one field. */
  field: string | null;
  /** 1-based line in the file where the document (or YAML error) starts, when known. */
  line: number | null;
  /** Backstage error name: InputError, NotFoundError, ConflictError, ... */
  name: string;
  message: string;
}

/** A Location entity target found while processing a file, already resolved against the file's location. */
export interface LocationTarget {
  parentRef: string;
  location: LocationSpec;
  presence: "required" | "optional";
}

export interface ProcessedFile {
  /** `<type>:<target>` of the file. */
  locationKey: string;
  entities: ProcessedEntity[];
  problems: ProcessingProblem[];
  /**
   * True when every document in the file was parsed and identified. Only then may entities that the file
   * emitted before and no longer does be removed; otherwise the last good state is kept.
   */
  complete: boolean;
  /** Refs named by documents that failed validation: their previous good version is kept. */
  keepRefs: string[];
  locationTargets: LocationTarget[];
}

/** Reads another file for `$text`/`$json`/`$yaml` placeholders; undefined when it does not exist. */
export type FileReader = (location: LocationSpec) => Promise<string | undefined>;

/** A row of the flattened search index (Backstage's `search` table). */
export interface SearchRow {
  key: string;
  /** Lower-cased value; null when the value is null or longer than 200 characters. */
  value: string | null;
  /** The value as written, used for facets. */
  originalValue: string | null;
}
