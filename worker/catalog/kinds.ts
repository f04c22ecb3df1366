/**
 * The built-in kinds: which apiVersions each accepts, its spec schema (checked with @cfworker/json-schema,
 * which runs in workerd without eval) and which spec fields are entity refs that emit relations.
 */
import { Validator, type OutputUnit, type Schema } from "@cfworker/json-schema";

/** A spec field holding one ref or a list of refs, and the relation pair it emits. */
export interface RefField {
  field: string;
  /** Relation from this entity to the target (e.g. ownedBy). */
  forward: string;
  /** The mirrored relation from the target back to this entity (e.g. ownerOf). */
  reverse: string;
  /** Kind used when the ref has no `kind:` prefix; none means the ref must spell it out. */
  defaultKind?: string;
}

export interface KindDefinition {
  kind: string;
  apiVersions: readonly string[];
  /** Schema for the whole entity; only `spec` is described, the envelope was checked by the policies. */
  schema: Schema;
  refFields: readonly RefField[];
}

/** One kind-schema failure in Backstage's words: `/spec must have required property 'owner' - missingProperty: owner`. */
export interface KindProblem {
  field: string | null;
  message: string;
}

/** Array spec fields Backstage sorts before hashing, so reordering a list is not a change. */
export const SORTED_SPEC_ARRAYS = ["providesApis", "consumesApis", "dependsOn", "dependencyOf", "memberOf", "children", "members"];

const CORE_VERSIONS = ["backstage.io/v1alpha1", "backstage.io/v1beta1"] as const;

const str: Schema = { type: "string", minLength: 1 };
const strList: Schema = { type: "array", items: str };
const plainStr: Schema = { type: "string" };
const obj: Schema = { type: "object" };
const profile: Schema = { type: "object", properties: { displayName: str, email: str, picture: str } };
const permissions: Schema = { type: "object", properties: { tags: { type: "array", items: plainStr } } };
const condition: Schema = { type: ["string", "boolean"] };
const formPage: Schema = { type: "object", properties: { "backstage:permissions": permissions } };
const decorators: Schema = { type: "array", items: { type: "object", properties: { id: plainStr, input: obj } } };

function entitySchema(required: string[], properties: Record<string, Schema>): Schema {
  return { type: "object", required: ["spec"], properties: { spec: { type: "object", required, properties } } };
}

const owner: RefField = { field: "owner", forward: "ownedBy", reverse: "ownerOf", defaultKind: "Group" };
const system: RefField = { field: "system", forward: "partOf", reverse: "hasPart", defaultKind: "System" };
const dependsOn: RefField = { field: "dependsOn", forward: "dependsOn", reverse: "dependencyOf" };
const dependencyOf: RefField = { field: "dependencyOf", forward: "dependencyOf", reverse: "dependsOn" };

const templateSpec: Record<string, Schema> = {
  type: str,
  owner: str,
  lifecycle: str,
  parameters: { oneOf: [formPage, { type: "array", items: formPage }] },
  secrets: { type: "object", properties: { schema: obj } },
  presentation: {
    type: "object",
    properties: {
      buttonLabels: {
        type: "object",
        properties: { backButtonText: plainStr, createButtonText: plainStr, reviewButtonText: plainStr },
      },
    },
  },
  EXPERIMENTAL_recovery: { type: "object", properties: { EXPERIMENTAL_strategy: plainStr } },
  EXPERIMENTAL_formDecorators: decorators,
  formDecorators: decorators,
  steps: {
    type: "array",
    items: {
      type: "object",
      required: ["action"],
      properties: { id: plainStr, name: plainStr, action: plainStr, input: obj, if: condition, "backstage:permissions": permissions },
    },
  },
  output: {
    type: "object",
    properties: {
      links: {
        type: "array",
        items: { type: "object", properties: { if: condition, url: str, entityRef: str, title: str, icon: str } },
      },
      text: {
        type: "array",
        items: { type: "object", properties: { if: condition, title: str, icon: str, content: plainStr } },
      },
    },
    additionalProperties: plainStr,
  },
};

export const KIND_DEFINITIONS: readonly KindDefinition[] = [
  {
    kind: "Component",
    apiVersions: CORE_VERSIONS,
    schema: entitySchema(["type", "lifecycle", "owner"], {
      type: str, lifecycle: str, owner: str, system: str, subcomponentOf: str,
      providesApis: strList, consumesApis: strList, dependsOn: strList,
    }),
    refFields: [
      owner,
      { field: "subcomponentOf", forward: "partOf", reverse: "hasPart", defaultKind: "Component" },
      { field: "providesApis", forward: "providesApi", reverse: "apiProvidedBy", defaultKind: "API" },
      { field: "consumesApis", forward: "consumesApi", reverse: "apiConsumedBy", defaultKind: "API" },
      dependsOn,
      dependencyOf,
      system,
    ],
  },
  {
    kind: "API",
    apiVersions: CORE_VERSIONS,
    schema: entitySchema(["type", "lifecycle", "owner", "definition"], {
      type: str, lifecycle: str, owner: str, system: str, definition: str,
    }),
    refFields: [owner, system],
  },
  {
    kind: "Resource",
    apiVersions: CORE_VERSIONS,
    schema: entitySchema(["type", "owner"], { type: str, owner: str, dependsOn: strList, dependencyOf: strList, system: str }),
    refFields: [owner, dependsOn, dependencyOf, system],
  },
  {
    kind: "System",
    apiVersions: CORE_VERSIONS,
    schema: entitySchema(["owner"], { owner: str, domain: str, type: str }),
    refFields: [owner, { field: "domain", forward: "partOf", reverse: "hasPart", defaultKind: "Domain" }],
  },
  {
    kind: "Domain",
    apiVersions: CORE_VERSIONS,
    schema: entitySchema(["owner"], { owner: str, subdomainOf: str, type: str }),
    refFields: [owner, { field: "subdomainOf", forward: "partOf", reverse: "hasPart", defaultKind: "Domain" }],
  },
  {
    kind: "Group",
    apiVersions: CORE_VERSIONS,
    schema: entitySchema(["type", "children"], { type: str, profile, parent: str, children: strList, members: strList }),
    refFields: [
      { field: "parent", forward: "childOf", reverse: "parentOf", defaultKind: "Group" },
      { field: "children", forward: "parentOf", reverse: "childOf", defaultKind: "Group" },
      { field: "members", forward: "hasMember", reverse: "memberOf", defaultKind: "User" },
    ],
  },
  {
    kind: "User",
    apiVersions: CORE_VERSIONS,
    schema: entitySchema(["memberOf"], { profile, memberOf: strList }),
    refFields: [{ field: "memberOf", forward: "memberOf", reverse: "hasMember", defaultKind: "Group" }],
  },
  {
    kind: "Location",
    apiVersions: CORE_VERSIONS,
    schema: entitySchema([], { type: str, target: str, targets: strList, presence: { type: "string", enum: ["required", "optional"] } }),
    refFields: [],
  },
  {
    kind: "Template",
    apiVersions: ["scaffolder.backstage.io/v1beta3"],
    schema: entitySchema(["type", "steps"], templateSpec),
    refFields: [owner],
  },
];

/**
 * The definition that validates this entity, matched like Backstage's kind validators: exact kind and
 * apiVersion. Anything else is a foreign kind, which this catalog accepts with envelope validation only.
 */
export function findKindDefinition(entity: { kind?: unknown; apiVersion?: unknown }): KindDefinition | undefined {
  return KIND_DEFINITIONS.find((d) => d.kind === entity.kind && d.apiVersions.includes(entity.apiVersion as string));
}

const validators = new Map<string, Validator>();

/** Problems from the kind's schema, or null when no built-in kind claims the entity. Input must be plain JSON. */
export function validateKind(entity: { kind?: unknown; apiVersion?: unknown }): KindProblem[] | null {
  const definition = findKindDefinition(entity);
  if (!definition) return null;
  let validator = validators.get(definition.kind);
  if (!validator) {
    validator = new Validator(definition.schema, "7", false);
    validators.set(definition.kind, validator);
  }
  const result = validator.validate(entity);
  if (result.valid) return [];
  const problems: KindProblem[] = [];
  const seen = new Set<string>();
  for (const unit of ajvOrder(result.errors)) {
    const problem = toAjvProblem(unit, definition.schema);
    if (problem && !seen.has(problem.message)) {
      seen.add(problem.message);
      problems.push(problem);
    }
  }
  return problems.length > 0 ? problems : [{ field: null, message: "<root> is not valid - unknown error" }];
}

/** cfworker reports a failed oneOf before its branches' errors; ajv (and so Backstage) reports it after. */
function ajvOrder(units: OutputUnit[]): OutputUnit[] {
  const out = [...units];
  for (let i = 0; i < out.length; i++) {
    if (out[i].keyword !== "oneOf") continue;
    const prefix = `${out[i].keywordLocation}/`;
    let end = i + 1;
    while (end < out.length && out[end].keywordLocation.startsWith(prefix)) end++;
    const [oneOf] = out.splice(i, 1);
    out.splice(end - 1, 0, oneOf);
    i = end - 1;
  }
  return out;
}

// STEP: translate cfworker's output units into the text ajv (Backstage's validator) produces:
// `<instancePath> <message> - <param>: <value>`. Wrapper units (properties, items, additionalProperties)
// only say "a child failed" and are skipped; the leaf units carry the real reasons.
function toAjvProblem(unit: OutputUnit, schema: Schema): KindProblem | null {
  const path = decodePointer(unit.instanceLocation);
  const keywordValue = lookup(schema, decodePointer(unit.keywordLocation));
  let message: string;
  let param: string;
  let fieldPath = path;
  switch (unit.keyword) {
    case "type": {
      const type = Array.isArray(keywordValue) ? keywordValue.join(",") : String(keywordValue);
      message = `must be ${type}`;
      param = `type: ${type}`;
      break;
    }
    case "required": {
      const missing = /required property "(.*)"\.$/s.exec(unit.error)?.[1] ?? "";
      message = `must have required property '${missing}'`;
      param = `missingProperty: ${missing}`;
      fieldPath = [...path, missing];
      break;
    }
    case "minLength":
      message = `must NOT have fewer than ${keywordValue} characters`;
      param = `limit: ${keywordValue}`;
      break;
    case "enum":
      message = "must be equal to one of the allowed values";
      param = `allowedValues: ${(keywordValue as unknown[]).join(",")}`;
      break;
    case "oneOf":
      message = "must match exactly one schema in oneOf";
      param = "passingSchemas: null";
      break;
    case "false":
      // `additionalProperties: false` fails on the extra key; ajv reports it on the parent object.
      message = "must NOT have additional properties";
      param = `additionalProperty: ${path[path.length - 1]}`;
      return { field: dotted(path), message: `${instancePath(path.slice(0, -1))} ${message} - ${param}` };
    default:
      return null;
  }
  return { field: dotted(fieldPath), message: `${instancePath(path)} ${message} - ${param}` };
}

function decodePointer(location: string): string[] {
  const pointer = location.replace(/^#/, "");
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // keep the raw segment
      }
      return decoded.replace(/~1/g, "/").replace(/~0/g, "~");
    });
}

function lookup(schema: unknown, path: string[]): unknown {
  let node = schema;
  for (const segment of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function instancePath(path: string[]): string {
  if (path.length === 0) return "<root>";
  return path.map((p) => "/" + p.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

function dotted(path: string[]): string | null {
  return path.length === 0 ? null : path.join(".");
}
