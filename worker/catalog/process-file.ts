/**
 * One catalog file → the entities it emits, their relations, the Location targets it points at and every
 * problem found, each naming the file, document, entity, field and line. Pure apart from the injected
 * FileReader used for placeholders; never throws.
 */
import type {
  Entity,
  FileReader,
  LocationSpec,
  LocationTarget,
  ProcessedEntity,
  ProcessedFile,
  ProcessingProblem,
  RelationRow,
  SearchRow,
} from "./types";
import { stringifyEntityRef } from "./entity-ref";
import { findKindDefinition, SORTED_SPEC_ARRAYS } from "./kinds";
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  defaultLocationAnnotations,
  resolveLocationTarget,
  stringifyLocationRef,
} from "./location-url";
import { ModelError } from "./model-error";
import { parseYamlDocuments, type YamlDocument } from "./parse-yaml";
import { redactResolvedProblems, resolvePlaceholders } from "./placeholders";
import { buildRelations } from "./relations";
import { buildSearchRows } from "./search-index";
import { validateEntity } from "./validation";

export interface ProcessFileInput {
  /** The file being read. */
  location: LocationSpec;
  /** `type:target` of the registered root location this file was reached from. */
  origin: string;
  content: string;
  /** Reads files referenced by `$text`/`$json`/`$yaml` placeholders. */
  read?: FileReader;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
/** Documents are untrusted: a field is read only when the document itself sets it, never from a prototype. */
const own = (o: Raw, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

export async function processFile(input: ProcessFileInput): Promise<ProcessedFile> {
  let locationKey = "unknown:";
  const out: ProcessedFile = { locationKey, entities: [], problems: [], complete: true, keepRefs: [], locationTargets: [] };
  let docIndex: number | null = null;
  try {
    locationKey = stringifyLocationRef(input.location);
    out.locationKey = locationKey;
    const parsed = parseYamlDocuments(input.content);
    for (const error of parsed.errors ?? (parsed.error ? [parsed.error] : [])) {
      out.complete = false;
      out.problems.push({
        location: locationKey,
        docIndex: error.index ?? null,
        entityRef: null,
        field: null,
        line: error.line,
        name: "InputError",
        message: `YAML error at ${locationKey}, ${error.message}`,
      });
    }
    const seen = new Map<string, number>();
    for (const doc of parsed.documents) {
      docIndex = doc.index;
      await processDocument(doc, input, out, seen);
    }
  } catch (e) {
    // Only a bug gets here; report it on the file rather than failing the caller.
    out.complete = false;
    out.problems.push({
      location: locationKey,
      docIndex,
      entityRef: null,
      field: null,
      line: null,
      name: "InputError",
      message: `Unexpected error while processing ${locationKey}: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  return out;
}

async function processDocument(doc: YamlDocument, input: ProcessFileInput, out: ProcessedFile, seen: Map<string, number>) {
  const { location } = input;
  const problem = (ref: string | null, field: string | null, message: string, name = "InputError"): ProcessingProblem => ({
    location: out.locationKey,
    docIndex: doc.index,
    entityRef: ref,
    field,
    line: doc.line,
    name,
    message,
  });
  const reject = (ref: string, problems: ProcessingProblem[]) => {
    out.problems.push(...problems);
    if (!out.keepRefs.includes(ref)) out.keepRefs.push(ref);
  };

  if (!isObject(doc.value)) {
    out.complete = false;
    const type = Array.isArray(doc.value) ? "array" : typeof doc.value;
    out.problems.push(problem(null, null, `Expected object at root, got ${type}`));
    return;
  }
  const raw = doc.value;
  const ref = identify(raw);
  if (ref === null) out.complete = false; // validation below says what is missing

  if (ref !== null && seen.has(ref)) {
    const message = `Duplicate entity ${ref} in file, already defined by document ${seen.get(ref)}`;
    out.problems.push(problem(ref, "metadata.name", message, "ConflictError"));
    return;
  }
  if (ref !== null) seen.set(ref, doc.index);

  // STEP 1: the location annotations are forced, as Backstage's output collector forces them on emitted children.
  const metadata = own(raw, "metadata");
  const annotations = isObject(metadata) ? own(metadata, "annotations") : undefined;
  if (isObject(metadata) && (annotations === undefined || isObject(annotations))) {
    metadata.annotations = {
      ...annotations,
      [ANNOTATION_LOCATION]: out.locationKey,
      [ANNOTATION_ORIGIN_LOCATION]: input.origin,
    };
  }

  // STEP 2: placeholders are resolved before validation, so `definition: {$text: ./api.yaml}` validates as a string.
  const placeholders = await resolvePlaceholders(raw, location, input.read);
  if (placeholders.problems.length > 0) {
    const problems = placeholders.problems.map((p) => problem(ref, p.field, p.message));
    if (ref === null) out.problems.push(...problems);
    else reject(ref, problems);
    return;
  }

  // STEP 3: policies and kind schema.
  const validated = validateEntity(placeholders.value);
  if (!validated.entity) {
    const problems = redactResolvedProblems(validated.problems, placeholders.resolved).map((p) => problem(ref, p.field, p.message, p.name));
    if (ref === null) out.problems.push(...problems);
    else reject(ref, problems);
    return;
  }
  const entity = validated.entity;
  const entityRef = stringifyEntityRef(entity);
  delete entity.metadata.uid; // the store assigns uids

  // STEP 4: defaults the entity did not set itself, then Backstage's ordering of ref lists for stable hashes.
  applyDefaultAnnotations(entity, location, out.locationKey, input.origin);
  if (findKindDefinition(entity)) sortRefLists(entity);

  // STEP 5: relations and the search-index casing check; either failing rejects the whole entity, as in Backstage.
  let relations: RelationRow[];
  let searchRows: SearchRow[];
  try {
    relations = buildRelations(entity);
    searchRows = buildSearchRows(entity);
  } catch (e) {
    const field = e instanceof ModelError ? (e.field ?? null) : null;
    const [p] = redactResolvedProblems([{ field, message: e instanceof Error ? e.message : String(e), rule: "entity references must be valid" }], placeholders.resolved);
    reject(entityRef, [problem(entityRef, p.field, p.message)]);
    return;
  }

  if (entity.kind === "Location" && findKindDefinition(entity)) {
    out.locationTargets.push(...locationTargets(entity, entityRef, location));
  }
  const processed: ProcessedEntity = { entity, ref: entityRef, relations, docIndex: doc.index, searchRows };
  out.entities.push(processed);
}

/** The ref a document names, if its envelope is identifiable (non-empty strings), before any validation. */
function identify(raw: Raw): string | null {
  const meta = own(raw, "metadata");
  if (!isObject(meta)) return null;
  const [apiVersion, kind, name, namespace] = [own(raw, "apiVersion"), own(raw, "kind"), own(meta, "name"), own(meta, "namespace")];
  const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.length > 0;
  if (!nonEmpty(apiVersion) || !nonEmpty(kind) || !nonEmpty(name)) return null;
  if (namespace !== undefined && !nonEmpty(namespace)) return null;
  return stringifyEntityRef({ kind, namespace, name });
}

/** Backstage merges the defaults under the entity's own annotations: its own values win, the forced two do not. */
function applyDefaultAnnotations(entity: Entity, location: LocationSpec, locationKey: string, origin: string) {
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: locationKey,
    [ANNOTATION_ORIGIN_LOCATION]: origin,
    ...defaultLocationAnnotations(location),
    ...entity.metadata.annotations,
  };
  annotations[ANNOTATION_LOCATION] = locationKey;
  annotations[ANNOTATION_ORIGIN_LOCATION] = origin;
  entity.metadata.annotations = annotations;
}

function sortRefLists(entity: Entity) {
  const spec = entity.spec;
  if (!spec) return;
  for (const field of SORTED_SPEC_ARRAYS) {
    const value = own(spec, field);
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) spec[field] = [...value].sort();
  }
}

/** spec.target and spec.targets, resolved against this file; the type defaults to this file's type. */
function locationTargets(entity: Entity, parentRef: string, base: LocationSpec): LocationTarget[] {
  // The kind schema checked their types.
  const spec: Raw = entity.spec ?? {};
  const type = (own(spec, "type") as string | undefined) || base.type;
  const presence = own(spec, "presence") === "optional" ? "optional" : "required";
  const target = own(spec, "target") as string | undefined;
  const targets = [...(target ? [target] : []), ...((own(spec, "targets") as string[] | undefined) ?? [])];
  return targets.map((target) => ({
    parentRef,
    location: { type, target: resolveLocationTarget(base, type, target) },
    presence,
  }));
}
