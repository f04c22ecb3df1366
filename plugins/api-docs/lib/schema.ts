/**
 * A JSON Schema (OpenAPI / AsyncAPI flavour) → a finite tree the viewer renders. `$ref`s are resolved
 * inline so nested and referenced schemas read in place; a ref already being expanded above is marked
 * `circular` instead of expanded again (recursive schemas stay finite), and depth and node budgets bound
 * the work on hostile documents (YAML anchors can make a small file an enormous tree).
 */
import { boundedJson, entries, isObj, own, str, strList, text, type Json } from "./json";
import { refName, refOf, resolveLocalRef } from "./refs";

export interface SchemaProperty {
  name: string;
  required: boolean;
  node: SchemaNode;
}

export interface SchemaNode {
  /** One-line type: `string<uuid>`, `Pet[]`, `integer | null`, `object`. */
  label: string;
  /** The named schema this node came from (`Pet` for `#/components/schemas/Pet`). */
  refName?: string;
  /** A ref already expanded by an ancestor: shown by name only. */
  circular?: boolean;
  /** Not expanded: past the depth or node budget. */
  truncated?: boolean;
  /** A `$ref` that does not resolve inside the document (external file, typo). */
  unresolved?: string;
  title?: string;
  description?: string;
  deprecated?: boolean;
  readOnly?: boolean;
  writeOnly?: boolean;
  /** JSON text of each allowed value. */
  enum?: string[];
  default?: string;
  example?: string;
  /** `min 0`, `max 100`, `pattern ^a`, `≤ 64 chars`, ... */
  constraints: string[];
  properties?: SchemaProperty[];
  additionalProperties?: SchemaNode;
  items?: SchemaNode;
  variants?: { kind: "oneOf" | "anyOf"; nodes: SchemaNode[] };
}

export interface SchemaBudget {
  /** Nested levels expanded below the root. */
  maxDepth: number;
  /** Nodes built for one root schema. */
  maxNodes: number;
}

export const DEFAULT_SCHEMA_BUDGET: SchemaBudget = { maxDepth: 8, maxNodes: 2000 };

interface Ctx {
  doc: Json;
  nodes: number;
  maxDepth: number;
}

function scalarText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  return boundedJson(v, 500);
}

function typeOf(s: unknown): string | undefined {
  const t = own(s, "type");
  if (Array.isArray(t)) return t.filter((x) => typeof x === "string").join(" | ") || undefined;
  return str(t);
}

/** One-line type of a schema without expanding it (refs show their name). */
export function schemaTypeLabel(schema: unknown, doc?: Json, depth = 0): string {
  if (!isObj(schema) || depth > 6) return "any";
  const ref = refOf(schema);
  if (ref !== undefined) return refName(ref);
  for (const key of ["oneOf", "anyOf", "allOf"] as const) {
    const parts = own(schema, key);
    if (Array.isArray(parts) && parts.length) return parts.slice(0, 8).map((p) => schemaTypeLabel(p, doc, depth + 1)).join(key === "allOf" ? " & " : " | ");
  }
  const type = typeOf(schema);
  if (type === "array") return `${schemaTypeLabel(own(schema, "items"), doc, depth + 1)}[]`;
  let label = type ?? (isObj(own(schema, "properties")) ? "object" : own(schema, "const") !== undefined ? "const" : "any");
  const format = str(own(schema, "format"));
  if (format) label += `<${format}>`;
  if (own(schema, "nullable") === true) label += " | null";
  return label;
}

function constraintsOf(s: unknown): string[] {
  const out: string[] = [];
  const n = (k: string) => {
    const v = own(s, k);
    return typeof v === "number" ? v : undefined;
  };
  const min = n("minimum");
  const max = n("maximum");
  const exMin = n("exclusiveMinimum");
  const exMax = n("exclusiveMaximum");
  if (min !== undefined) out.push(own(s, "exclusiveMinimum") === true ? `> ${min}` : `≥ ${min}`);
  if (exMin !== undefined) out.push(`> ${exMin}`);
  if (max !== undefined) out.push(own(s, "exclusiveMaximum") === true ? `< ${max}` : `≤ ${max}`);
  if (exMax !== undefined) out.push(`< ${exMax}`);
  if (n("minLength") !== undefined) out.push(`≥ ${n("minLength")} chars`);
  if (n("maxLength") !== undefined) out.push(`≤ ${n("maxLength")} chars`);
  if (n("minItems") !== undefined) out.push(`≥ ${n("minItems")} items`);
  if (n("maxItems") !== undefined) out.push(`≤ ${n("maxItems")} items`);
  if (own(s, "uniqueItems") === true) out.push("unique items");
  if (n("multipleOf") !== undefined) out.push(`multiple of ${n("multipleOf")}`);
  const pattern = str(own(s, "pattern"));
  if (pattern) out.push(`pattern ${pattern.length > 120 ? `${pattern.slice(0, 120)}…` : pattern}`);
  return out;
}

function leaf(label: string, extra: Partial<SchemaNode> = {}): SchemaNode {
  return { label, constraints: [], ...extra };
}

function build(ctx: Ctx, raw: unknown, depth: number, expanding: readonly string[]): SchemaNode {
  if (ctx.nodes <= 0) return leaf(schemaTypeLabel(raw), { truncated: true });
  ctx.nodes--;
  if (raw === true || raw === undefined) return leaf("any");
  if (raw === false) return leaf("never");
  if (!isObj(raw)) return leaf("any");

  const ref = refOf(raw);
  if (ref !== undefined) {
    const name = refName(ref);
    if (expanding.includes(ref)) return leaf(name, { refName: name, circular: true });
    const target = resolveLocalRef(ctx.doc, ref);
    if (target === undefined) return leaf(name, { refName: name, unresolved: ref });
    if (depth > ctx.maxDepth) return leaf(name, { refName: name, truncated: true });
    const node = build(ctx, target, depth, [...expanding, ref]);
    // Sibling keywords next to $ref (OpenAPI 3.1) override the description.
    const desc = str(own(raw, "description"));
    return { ...node, refName: name, label: node.label === "object" || node.label === "any" ? name : node.label, description: desc ?? node.description };
  }

  const node: SchemaNode = {
    label: schemaTypeLabel(raw),
    title: str(own(raw, "title")),
    description: str(own(raw, "description")),
    deprecated: own(raw, "deprecated") === true || undefined,
    readOnly: own(raw, "readOnly") === true || undefined,
    writeOnly: own(raw, "writeOnly") === true || undefined,
    constraints: constraintsOf(raw),
  };
  const enumValues = own(raw, "enum");
  if (Array.isArray(enumValues)) node.enum = enumValues.slice(0, 100).map((v) => boundedJson(v, 200));
  else if (own(raw, "const") !== undefined) node.enum = [boundedJson(own(raw, "const"), 200)];
  node.default = scalarText(own(raw, "default"));
  const examples = own(raw, "examples");
  node.example = scalarText(own(raw, "example") ?? (Array.isArray(examples) ? examples[0] : undefined));

  if (depth >= ctx.maxDepth) {
    if (isObj(own(raw, "properties")) || own(raw, "items") !== undefined || own(raw, "allOf") || own(raw, "oneOf") || own(raw, "anyOf")) node.truncated = true;
    return node;
  }

  // allOf: the parts' properties merged into one list (the usual "Pet = NewPet + {id}" shape).
  const props = new Map<string, SchemaProperty>();
  const required = new Set(strList(own(raw, "required")));
  const addProps = (schema: unknown, req: Set<string>) => {
    for (const [name, s] of entries(own(schema, "properties"), 500)) {
      if (props.has(name)) continue;
      if (ctx.nodes <= 0) {
        node.truncated = true;
        break;
      }
      props.set(name, { name, required: req.has(name), node: build(ctx, s, depth + 1, expanding) });
    }
  };
  const allOf = own(raw, "allOf");
  if (Array.isArray(allOf)) {
    for (const part of allOf.slice(0, 32)) {
      let p: unknown = part;
      let chain = expanding;
      const pref = refOf(part);
      if (pref !== undefined) {
        if (expanding.includes(pref)) continue;
        p = resolveLocalRef(ctx.doc, pref);
        chain = [...expanding, pref];
      }
      if (!isObj(p)) continue;
      for (const r of strList(own(p, "required"))) required.add(r);
      const before = props.size;
      const nested = build(ctx, p, depth, chain);
      for (const prop of nested.properties ?? []) if (!props.has(prop.name)) props.set(prop.name, { ...prop, required: prop.required || required.has(prop.name) });
      if (props.size === before && !nested.properties) {
        // A non-object part (e.g. a string format refinement): keep its constraints.
        node.constraints.push(...nested.constraints);
      }
    }
    if (props.size) node.label = node.label.includes("&") ? "object" : node.label;
  }
  addProps(raw, required);
  for (const p of props.values()) p.required = p.required || required.has(p.name);
  if (props.size) {
    node.properties = [...props.values()];
    if (node.label === "any") node.label = "object";
  }

  // Past the node budget nothing more is built: the node says it was cut short instead.
  const more = () => {
    if (ctx.nodes > 0) return true;
    node.truncated = true;
    return false;
  };
  const additional = own(raw, "additionalProperties");
  if (isObj(additional) && more()) node.additionalProperties = build(ctx, additional, depth + 1, expanding);

  const items = own(raw, "items");
  if (items !== undefined && !Array.isArray(items) && more()) node.items = build(ctx, items, depth + 1, expanding);

  for (const kind of ["oneOf", "anyOf"] as const) {
    const parts = own(raw, kind);
    if (Array.isArray(parts) && parts.length) {
      const nodes: SchemaNode[] = [];
      for (const p of parts.slice(0, 32)) {
        if (!more()) break;
        nodes.push(build(ctx, p, depth + 1, expanding));
      }
      node.variants = { kind, nodes };
      break;
    }
  }
  return node;
}

/** The display tree of one schema; never throws, always finite. */
export function buildSchemaTree(doc: Json, schema: unknown, budget: SchemaBudget = DEFAULT_SCHEMA_BUDGET): SchemaNode {
  const ctx: Ctx = { doc, nodes: budget.maxNodes, maxDepth: budget.maxDepth };
  try {
    return build(ctx, schema, 0, []);
  } catch {
    return leaf("any", { truncated: true });
  }
}

const FORMAT_SAMPLES: Record<string, string> = {
  "date-time": "2024-01-01T12:00:00Z",
  date: "2024-01-01",
  time: "12:00:00",
  email: "user@example.com",
  uuid: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  uri: "https://example.com",
  url: "https://example.com",
  hostname: "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
};

/**
 * An example value for a schema: its own `example`/`examples`/`default`/first enum value, else one made up
 * from its type. Recursion stops at circular refs and after the node budget.
 */
export function sampleFromSchema(doc: Json, schema: unknown, maxNodes = 500): unknown {
  let nodes = maxNodes;
  const walk = (s: unknown, expanding: readonly string[], depth: number): unknown => {
    if (nodes-- <= 0 || depth > 10 || !isObj(s)) return undefined;
    const ref = refOf(s);
    if (ref !== undefined) {
      if (expanding.includes(ref)) return undefined;
      return walk(resolveLocalRef(doc, ref), [...expanding, ref], depth);
    }
    if (own(s, "example") !== undefined) return own(s, "example");
    const examples = own(s, "examples");
    if (Array.isArray(examples) && examples.length) return examples[0];
    if (own(s, "default") !== undefined) return own(s, "default");
    if (own(s, "const") !== undefined) return own(s, "const");
    const en = own(s, "enum");
    if (Array.isArray(en) && en.length) return en[0];
    for (const key of ["oneOf", "anyOf"] as const) {
      const parts = own(s, key);
      if (Array.isArray(parts) && parts.length) return walk(parts[0], expanding, depth + 1);
    }
    const allOf = own(s, "allOf");
    const type = typeOf(s)?.split(" | ")[0];
    if (Array.isArray(allOf) || type === "object" || isObj(own(s, "properties"))) {
      const out: Record<string, unknown> = {};
      const merge = (part: unknown, chain: readonly string[]) => {
        for (const [name, p] of entries(own(part, "properties"), 200)) {
          if (Object.prototype.hasOwnProperty.call(out, name)) continue;
          const v = walk(p, chain, depth + 1);
          if (v !== undefined) Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
        }
      };
      if (Array.isArray(allOf)) {
        for (const part of allOf.slice(0, 32)) {
          const pref = refOf(part);
          if (pref !== undefined && expanding.includes(pref)) continue;
          const resolved = pref !== undefined ? resolveLocalRef(doc, pref) : part;
          const chain = pref !== undefined ? [...expanding, pref] : expanding;
          const v = walk(resolved, chain, depth + 1);
          if (isObj(v)) {
            for (const k of Object.keys(v)) if (!Object.prototype.hasOwnProperty.call(out, k)) Object.defineProperty(out, k, { value: v[k], enumerable: true, writable: true, configurable: true });
          } else if (v !== undefined && allOf.length === 1) return v;
        }
      }
      merge(s, expanding);
      return out;
    }
    if (type === "array") {
      const item = walk(own(s, "items"), expanding, depth + 1);
      return item === undefined ? [] : [item];
    }
    if (type === "string") return FORMAT_SAMPLES[str(own(s, "format")) ?? ""] ?? "string";
    if (type === "integer") return typeof own(s, "minimum") === "number" ? own(s, "minimum") : 0;
    if (type === "number") return typeof own(s, "minimum") === "number" ? own(s, "minimum") : 0;
    if (type === "boolean") return true;
    if (type === "null") return null;
    return undefined;
  };
  try {
    return walk(schema, [], 0);
  } catch {
    return undefined;
  }
}

export { text as scalarLabel };
