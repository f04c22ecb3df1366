/**
 * Template entities (scaffolder.backstage.io/v1beta3) as the scaffolder runs them: the parts of the spec a
 * task needs (parameters, steps, output), checked once, and where the template's own files live (its base
 * URL, for `fetch:template` with `url: ./skeleton`). No I/O.
 */
import { ApiError } from "../errors";
import { ANNOTATION_LOCATION } from "../catalog/location-url";
import { stringifyEntityRef } from "../catalog/entity-ref";

export const TEMPLATE_API_VERSION = "scaffolder.backstage.io/v1beta3";
const SOURCE_LOCATION = "backstage.io/source-location";
/** Who may run a template: user or group refs, comma-separated (unset: whoever holds scaffolder.task.create). */
export const RUN_ALLOWED_ANNOTATION = "edgestage.dev/run-allowed";

export interface TemplateStep {
  id: string;
  name: string;
  action: string;
  input?: Record<string, unknown>;
  if?: string | boolean;
  each?: string | unknown[] | Record<string, unknown>;
}

export interface TemplateSpec {
  apiVersion: string;
  entityRef: string;
  /** Where relative `url:` inputs resolve from: a GitHub tree URL ending in `/`, or null for file: locations. */
  baseUrl: string | null;
  title: string | null;
  description: string | null;
  parameters: Record<string, unknown>[];
  steps: TemplateStep[];
  output: Record<string, unknown>;
  runAllowed: string[] | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The directory a `url:`-style annotation points at, as an absolute URL ending in `/`. */
export function baseUrlOf(annotations: Record<string, unknown>): string | null {
  const pick = (value: unknown, dir: boolean): string | null => {
    if (typeof value !== "string" || !value.startsWith("url:")) return null;
    try {
      const url = new URL(value.slice(4));
      if (dir && !url.pathname.endsWith("/")) url.pathname += "/";
      return new URL(".", url).toString();
    } catch {
      return null;
    }
  };
  return pick(annotations[SOURCE_LOCATION], true) ?? pick(annotations[ANNOTATION_LOCATION], false);
}

/** Parses a Template entity; an InputError names what is wrong. */
export function parseTemplate(entity: unknown): TemplateSpec {
  if (!isObject(entity) || entity.kind !== "Template") throw new ApiError("InputError", "Not a Template entity");
  if (entity.apiVersion !== TEMPLATE_API_VERSION) {
    throw new ApiError("InputError", `Template apiVersion ${JSON.stringify(entity.apiVersion)} is not supported; only ${TEMPLATE_API_VERSION} runs here`);
  }
  const metadata = isObject(entity.metadata) ? entity.metadata : {};
  const spec = isObject(entity.spec) ? entity.spec : {};
  if (typeof metadata.name !== "string") throw new ApiError("InputError", "Template has no metadata.name");
  const rawParams = spec.parameters === undefined ? [] : Array.isArray(spec.parameters) ? spec.parameters : [spec.parameters];
  const parameters = rawParams.map((p, i) => {
    if (!isObject(p)) throw new ApiError("InputError", `Template spec.parameters[${i}] is not an object`);
    return p;
  });
  if (!Array.isArray(spec.steps)) throw new ApiError("InputError", "Template spec.steps must be a list");
  const seen = new Set<string>();
  const steps = spec.steps.map((s, i): TemplateStep => {
    if (!isObject(s) || typeof s.action !== "string" || !s.action) throw new ApiError("InputError", `Template step ${i} has no action`);
    const id = typeof s.id === "string" && s.id ? s.id : `step-${i + 1}`;
    if (seen.has(id)) throw new ApiError("InputError", `Template step id '${id}' is used twice`);
    seen.add(id);
    if (s.input !== undefined && !isObject(s.input)) throw new ApiError("InputError", `Template step '${id}' input must be an object`);
    return {
      id,
      name: typeof s.name === "string" && s.name ? s.name : s.action,
      action: s.action,
      ...(s.input !== undefined ? { input: s.input as Record<string, unknown> } : {}),
      ...(typeof s.if === "string" || typeof s.if === "boolean" ? { if: s.if } : {}),
      ...(s.each !== undefined ? { each: s.each as TemplateStep["each"] } : {}),
    };
  });
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  const runAllowed = typeof annotations[RUN_ALLOWED_ANNOTATION] === "string"
    ? (annotations[RUN_ALLOWED_ANNOTATION] as string).split(",").map((s) => s.trim().toLowerCase()).filter(Boolean)
    : null;
  return {
    apiVersion: TEMPLATE_API_VERSION,
    entityRef: stringifyEntityRef({ kind: "template", namespace: typeof metadata.namespace === "string" ? metadata.namespace : "default", name: metadata.name }),
    baseUrl: baseUrlOf(annotations),
    title: typeof metadata.title === "string" ? metadata.title : null,
    description: typeof metadata.description === "string" ? metadata.description : null,
    parameters,
    steps,
    output: isObject(spec.output) ? spec.output : {},
    runAllowed,
  };
}

/** GET /templates/.../parameter-schema: Backstage's TemplateParameterSchema. */
export function parameterSchemaOf(t: TemplateSpec, entityName: string) {
  return {
    title: t.title ?? entityName,
    ...(t.description ? { description: t.description } : {}),
    steps: t.parameters.map((schema) => ({
      title: typeof schema.title === "string" ? schema.title : "Please enter the following information",
      ...(typeof schema.description === "string" ? { description: schema.description } : {}),
      schema,
    })),
  };
}
