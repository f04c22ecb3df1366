/**
 * Entity validation as Backstage's default policy pipeline runs it: envelope schema, default namespace,
 * no foreign root fields, field formats, then the built-in kind's schema. Pure; never throws.
 */
import type { Entity } from "./types";
import { DEFAULT_NAMESPACE } from "./entity-ref";
import { validateKind } from "./kinds";

export { ModelError } from "./model-error";

/** One D1 row holds at most 2 MB; leave room for the relations, annotations and search rows around it. */
export const MAX_ENTITY_BYTES = 1.5 * 1024 * 1024;

export interface ValidationProblem {
  /** Dotted path of the offending field, e.g. `metadata.tags.0` or `spec.owner`; null for the entity as a whole. */
  field: string | null;
  /** Backstage error name. */
  name: string;
  message: string;
  /**
   * The rule broken, in words and without the offending value: what a problem says instead of its message
   * when the value came from another file through a placeholder (placeholders.ts redactResolvedProblems).
   */
  rule?: string;
}

export interface ValidationResult {
  entity?: Entity;
  problems: ValidationProblem[];
}

const ROOT_FIELDS = ["apiVersion", "kind", "metadata", "spec", "relations", "status"];
const INPUT_ROOT_FIELDS = ["apiVersion", "kind", "metadata", "spec"];
const ADR_LINK =
  "https://github.com/backstage/backstage/blob/master/docs/architecture-decisions/adr002-default-catalog-file-format.md";

export function validateEntity(raw: unknown): ValidationResult {
  // JSON round trip: the model only handles plain JSON (no undefined, Dates, functions or cycles).
  let json: string | undefined;
  try {
    json = JSON.stringify(raw);
  } catch (e) {
    return fail(null, `Entity is not serializable as JSON, ${e instanceof Error ? e.message : String(e)}`, "must be JSON");
  }
  if (json === undefined) return fail(null, "Malformed envelope, <root> must be object", "must be object");
  const data = JSON.parse(json) as unknown;

  // 1. Envelope JSON schema (Entity + EntityMeta); like ajv without allErrors, the first failure wins.
  const schemaFailure = checkEnvelope(data);
  if (schemaFailure) return fail(schemaFailure.field, `Malformed envelope, ${schemaFailure.text}`, `envelope schema: ${schemaFailure.rule}`);
  const entity = data as Entity;

  // 2. Default namespace.
  if (entity.metadata.namespace === undefined) entity.metadata.namespace = DEFAULT_NAMESPACE;

  // 3. No foreign root fields: relations and status are output only.
  const foreign = Object.keys(entity).filter((k) => !INPUT_ROOT_FIELDS.includes(k));
  if (foreign.length > 0) {
    const rule = "only apiVersion, kind, metadata and spec may be given";
    return { problems: foreign.map((k) => ({ field: k, name: "InputError", message: `Unknown field ${k}`, rule })) };
  }

  // 4. Field formats (all of them, so one round trip fixes a file; the first is the one Backstage reports).
  const formatProblems = checkFieldFormats(entity);
  if (formatProblems.length > 0) return { problems: formatProblems };

  // 5. Size: ours, not Backstage's (D1 row limit).
  const bytes = new TextEncoder().encode(json).byteLength;
  if (bytes > MAX_ENTITY_BYTES) {
    return fail(
      largestField(entity),
      `Entity is too large: ${bytes} bytes of JSON, the limit is ${MAX_ENTITY_BYTES} bytes (1.5 MB)`,
      "at most 1.5 MB of JSON per entity",
    );
  }

  // 6. Kind schema for built-in kinds; foreign kinds/apiVersions pass on the envelope alone (by design).
  const kindProblems = validateKind(entity) ?? [];
  if (kindProblems.length > 0) {
    const rule = `the schema of kind ${entity.kind}`;
    return { problems: kindProblems.map((p) => ({ field: p.field, name: "InputError", message: p.message, rule })) };
  }
  return { entity, problems: [] };
}

function fail(field: string | null, message: string, rule: string): ValidationResult {
  return { problems: [{ field, name: "InputError", message, rule }] };
}

/* ---------------------------------------------------------------------------------------------------------
 * Envelope schema, checked in the order ajv visits Backstage's Entity/EntityMeta schemas (type, required,
 * additionalProperties, then properties in schema order) so the first failure and its text match.
 * ------------------------------------------------------------------------------------------------------- */

interface SchemaFailure {
  field: string | null;
  text: string;
  /** `text` without the instance pointer (which spells out keys). */
  rule: string;
}

type Path = string[];

function failure(path: Path, message: string, missing?: string): SchemaFailure {
  const pointer = path.length === 0 ? "<root>" : path.map((p) => "/" + p.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
  const fieldPath = missing === undefined ? path : [...path, missing];
  return { field: fieldPath.length > 0 ? fieldPath.join(".") : null, text: `${pointer} ${message}`, rule: message };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function typeOk(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

function checkString(value: unknown, path: Path, minLength: number): SchemaFailure | null {
  if (typeof value !== "string") return failure(path, "must be string");
  // ajv counts code points; only short strings can fall below the limit, so only they are counted.
  if (value.length < 2 * minLength && [...value].length < minLength) {
    return failure(path, `must NOT have fewer than ${minLength} characters`);
  }
  return null;
}

function checkRequired(value: Record<string, unknown>, path: Path, keys: string[]): SchemaFailure | null {
  for (const key of keys) {
    if (!Object.hasOwn(value, key)) return failure(path, `must have required property '${key}'`, key);
  }
  return null;
}

function checkEnvelope(entity: unknown): SchemaFailure | null {
  if (!isObject(entity)) return failure([], "must be object");
  const missing = checkRequired(entity, [], ["apiVersion", "kind", "metadata"]);
  if (missing) return missing;
  const extra = Object.keys(entity).find((k) => !ROOT_FIELDS.includes(k));
  if (extra !== undefined) return { field: extra, text: "<root> must NOT have additional properties", rule: "must NOT have additional properties" };
  return (
    checkString(entity.apiVersion, ["apiVersion"], 1) ??
    checkString(entity.kind, ["kind"], 1) ??
    checkMetadata(entity.metadata) ??
    checkOptionalType(entity, "spec", "object", []) ??
    checkRelations(entity.relations) ??
    checkOptionalType(entity, "status", "object", [])
  );
}

function checkOptionalType(parent: Record<string, unknown>, key: string, type: string, path: Path): SchemaFailure | null {
  if (!Object.hasOwn(parent, key) || typeOk(parent[key], type)) return null;
  return failure([...path, key], `must be ${type}`);
}

function checkRelations(relations: unknown): SchemaFailure | null {
  if (relations === undefined) return null;
  if (!Array.isArray(relations)) return failure(["relations"], "must be array");
  for (let i = 0; i < relations.length; i++) {
    const path = ["relations", String(i)];
    const item = relations[i];
    if (!isObject(item)) return failure(path, "must be object");
    const bad = checkRequired(item, path, ["type", "targetRef"]);
    if (bad) return bad;
  }
  return null;
}

function checkMetadata(meta: unknown): SchemaFailure | null {
  const path = ["metadata"];
  if (!isObject(meta)) return failure(path, "must be object");
  const missing = checkRequired(meta, path, ["name"]);
  if (missing) return missing;
  for (const key of ["uid", "etag"]) {
    if (Object.hasOwn(meta, key)) {
      const bad = checkString(meta[key], [...path, key], 1);
      if (bad) return bad;
    }
  }
  if (Object.hasOwn(meta, "generation")) {
    if (!typeOk(meta.generation, "integer")) return failure([...path, "generation"], "must be integer");
    if ((meta.generation as number) < 1) return failure([...path, "generation"], "must be >= 1");
  }
  for (const [key, min] of [["name", 1], ["namespace", 1], ["title", 1], ["description", 0]] as const) {
    if (Object.hasOwn(meta, key)) {
      const bad = checkString(meta[key], [...path, key], min);
      if (bad) return bad;
    }
  }
  for (const key of ["labels", "annotations"]) {
    if (!Object.hasOwn(meta, key)) continue;
    const map = meta[key];
    if (!isObject(map)) return failure([...path, key], "must be object");
    for (const [k, v] of Object.entries(map)) {
      if (/^.+$/u.test(k) && typeof v !== "string") return failure([...path, key, k], "must be string");
    }
  }
  return checkTags(meta.tags) ?? checkLinks(meta.links);
}

function checkTags(tags: unknown): SchemaFailure | null {
  if (tags === undefined) return null;
  if (!Array.isArray(tags)) return failure(["metadata", "tags"], "must be array");
  for (let i = 0; i < tags.length; i++) {
    const bad = checkString(tags[i], ["metadata", "tags", String(i)], 1);
    if (bad) return bad;
  }
  return null;
}

function checkLinks(links: unknown): SchemaFailure | null {
  if (links === undefined) return null;
  if (!Array.isArray(links)) return failure(["metadata", "links"], "must be array");
  for (let i = 0; i < links.length; i++) {
    const path = ["metadata", "links", String(i)];
    const link = links[i];
    if (!isObject(link)) return failure(path, "must be object");
    const missing = checkRequired(link, path, ["url"]);
    if (missing) return missing;
    for (const key of ["url", "title", "icon", "type"]) {
      if (!Object.hasOwn(link, key)) continue;
      const bad = checkString(link[key], [...path, key], 1);
      if (bad) return bad;
    }
  }
  return null;
}

/* ---------------------------------------------------------------------------------------------------------
 * Field formats (FieldFormatEntityPolicy with makeValidator defaults).
 * ------------------------------------------------------------------------------------------------------- */

const OBJECT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_LABEL = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/;
const TAG = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;
const KIND = /^[a-zA-Z][a-z0-9A-Z]*$/;
const API_VERSION_SUFFIX = /^[a-z0-9A-Z]+$/;

const within = (value: string, max: number) => value.length >= 1 && value.length <= max;
export const isValidObjectName = (v: string) => within(v, 63) && OBJECT_NAME.test(v);
export const isValidDnsLabel = (v: string) => within(v, 63) && DNS_LABEL.test(v);
export const isValidDnsSubdomain = (v: string) => within(v, 253) && v.split(".").every(isValidDnsLabel);
export const isValidTag = (v: string) => within(v, 63) && TAG.test(v);
export const isValidKind = (v: string) => within(v, 63) && KIND.test(v);
const isValidApiVersionSuffix = (v: string) => within(v, 63) && API_VERSION_SUFFIX.test(v);

function prefixAndOrSuffix(value: string, isPrefix: (v: string) => boolean, isSuffix: (v: string) => boolean): boolean {
  const parts = value.split("/");
  if (parts.length === 1) return isSuffix(parts[0]);
  return parts.length === 2 && isPrefix(parts[0]) && isSuffix(parts[1]);
}

export const isValidApiVersion = (v: string) => prefixAndOrSuffix(v, isValidDnsSubdomain, isValidApiVersionSuffix);
/** Label and annotation keys share one rule: `[dns-subdomain/]object-name`. */
export const isValidLabelKey = (v: string) => prefixAndOrSuffix(v, isValidDnsSubdomain, isValidObjectName);
export const isValidLabelValue = (v: string) => v === "" || isValidObjectName(v);

const EXPECT = {
  name: "a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total",
  prefix: "a valid prefix and/or suffix",
  dns: "a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total",
  tag: "a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total",
  kind: "a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total",
  url: "a string that is a valid url",
  string: "a non empty string",
} as const;

function isValidUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function checkFieldFormats(entity: Entity): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  // `label` is Backstage's name for the field in the message; `field` is the full dotted path we report.
  const check = (label: string, field: string, value: string, ok: boolean, expectation: string) => {
    if (ok) return;
    problems.push({
      field,
      name: "InputError",
      message: `"${label}" is not valid; expected ${expectation} but found "${value}". To learn more about catalog file format, visit: ${ADR_LINK}`,
      rule: `expected ${expectation}`,
    });
  };
  const meta = entity.metadata;
  check("apiVersion", "apiVersion", entity.apiVersion, isValidApiVersion(entity.apiVersion), EXPECT.prefix);
  check("kind", "kind", entity.kind, isValidKind(entity.kind), EXPECT.kind);
  check("metadata.name", "metadata.name", meta.name, isValidObjectName(meta.name), EXPECT.name);
  if (meta.namespace !== undefined) {
    check("metadata.namespace", "metadata.namespace", meta.namespace, isValidDnsLabel(meta.namespace), EXPECT.dns);
  }
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    check(`labels.${k}`, `metadata.labels.${k}`, k, isValidLabelKey(k), EXPECT.prefix);
    check(`labels.${k}`, `metadata.labels.${k}`, v, isValidLabelValue(v), EXPECT.name);
  }
  for (const k of Object.keys(meta.annotations ?? {})) {
    check(`annotations.${k}`, `metadata.annotations.${k}`, k, isValidLabelKey(k), EXPECT.prefix);
  }
  (meta.tags ?? []).forEach((tag, i) => check(`tags.${i}`, `metadata.tags.${i}`, tag, isValidTag(tag), EXPECT.tag));
  (meta.links ?? []).forEach((link, i) => {
    check(`links.${i}.url`, `metadata.links.${i}.url`, link.url, isValidUrl(link.url), EXPECT.url);
    for (const key of ["title", "icon"] as const) {
      const value = link[key];
      if (value !== undefined) {
        check(`links.${i}.${key}`, `metadata.links.${i}.${key}`, value, value.trim().length >= 1, EXPECT.string);
      }
    }
  });
  return problems;
}

/** Names the biggest leaf so an oversized entity's problem points at what made it big. */
function largestField(entity: Entity): string | null {
  const path: string[] = [];
  let node: unknown = entity;
  while (node !== null && typeof node === "object") {
    let best: string | null = null;
    let bestSize = -1;
    for (const [key, value] of Object.entries(node)) {
      const size = JSON.stringify(value)?.length ?? 0;
      if (size > bestSize) {
        best = key;
        bestSize = size;
      }
    }
    if (best === null) break;
    path.push(best);
    node = (node as Record<string, unknown>)[best];
  }
  return path.length > 0 ? path.join(".") : null;
}
