/**
 * Readable messages for JSON Schema errors: the validator's own texts ("Instance does not match any of
 * [...]") are for developers; a form shows "Must be one of: Light, Dark" under the field.
 */
import { isObject, own, type JsonObject } from "./json";

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  null: "empty",
};

const FORMAT_NAMES: Record<string, string> = {
  email: "email address",
  "idn-email": "email address",
  uri: "URL",
  "uri-reference": "URL or path",
  url: "URL",
  date: "date (YYYY-MM-DD)",
  "date-time": "date and time",
  time: "time",
  hostname: "host name",
  "idn-hostname": "host name",
  ipv4: "IPv4 address",
  ipv6: "IPv6 address",
  uuid: "UUID",
  regex: "regular expression",
  duration: "duration",
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Labels of an enum, from `enumNames` (rjsf) or `oneOf` consts with titles when present. */
export function enumLabels(node: JsonObject): string[] {
  const values = Array.isArray(node.enum) ? node.enum : [];
  const names = Array.isArray(node.enumNames) ? node.enumNames : [];
  return values.map((v, i) => (typeof names[i] === "string" ? (names[i] as string) : typeof v === "string" ? v : JSON.stringify(v)));
}

function list(labels: string[]): string {
  return labels.length > 8 ? `${labels.slice(0, 8).join(", ")}, …` : labels.join(", ");
}

/**
 * The message for one failed keyword. `node` is the schema object holding the keyword (undefined when the
 * validator's location could not be followed, e.g. through a `$ref`); `fallback` is the validator's text.
 */
export function messageFor(keyword: string, node: JsonObject | undefined, fallback: string): string {
  const v = node ? own(node, keyword) : undefined;
  const n = typeof v === "number" ? v : undefined;
  switch (keyword) {
    case "type": {
      const types = (Array.isArray(v) ? v : [v]).filter((t): t is string => typeof t === "string");
      return types.length ? `Must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(" or ")}` : "Has the wrong type";
    }
    case "enum":
      return node ? `Must be one of: ${list(enumLabels(node))}` : "Must be one of the allowed values";
    case "const":
      return v === undefined ? "Must be the required value" : `Must be ${JSON.stringify(v)}`;
    case "minLength":
      return n === 1 ? "Must not be empty" : n !== undefined ? `Must be at least ${plural(n, "character")}` : "Is too short";
    case "maxLength":
      return n !== undefined ? `Must be at most ${plural(n, "character")}` : "Is too long";
    case "pattern":
      return typeof v === "string" ? `Must match the pattern ${v}` : "Does not match the required pattern";
    case "format":
      return typeof v === "string" ? `Must be a valid ${FORMAT_NAMES[v] ?? v}` : "Has the wrong format";
    case "minimum":
      return n !== undefined ? `Must be ${n} or more` : "Is too small";
    case "maximum":
      return n !== undefined ? `Must be ${n} or less` : "Is too large";
    case "exclusiveMinimum":
      return n !== undefined ? `Must be more than ${n}` : typeof node?.minimum === "number" ? `Must be more than ${node.minimum}` : "Is too small";
    case "exclusiveMaximum":
      return n !== undefined ? `Must be less than ${n}` : typeof node?.maximum === "number" ? `Must be less than ${node.maximum}` : "Is too large";
    case "multipleOf":
      return n !== undefined ? `Must be a multiple of ${n}` : "Is not an allowed step";
    case "minItems":
      return n !== undefined ? `Choose at least ${plural(n, "item")}` : "Has too few items";
    case "maxItems":
      return n !== undefined ? `Choose at most ${plural(n, "item")}` : "Has too many items";
    case "uniqueItems":
      return "Items must be unique";
    case "contains":
      return "Must contain a matching item";
    case "minProperties":
      return n !== undefined ? `Must have at least ${plural(n, "field")}` : "Has too few fields";
    case "maxProperties":
      return n !== undefined ? `Must have at most ${plural(n, "field")}` : "Has too many fields";
    case "oneOf":
      return "Must match exactly one of the allowed options";
    case "anyOf":
      return "Must match one of the allowed options";
    case "not":
    case "false":
      return "Is not allowed";
    case "propertyNames":
      return "Has a field name that is not allowed";
    default:
      return fallback.replace(/^Instance /, "Value ");
  }
}

/** The title a form shows for a property, for "Name is required". */
export function propertyTitle(objectNode: unknown, name: string): string {
  const prop = own(own(objectNode, "properties"), name);
  const title = isObject(prop) ? prop.title : undefined;
  return typeof title === "string" && title.trim() ? title.trim() : name;
}
