/**
 * Backstage's rendering of template values (NunjucksWorkflowRunner.render): every string in a step's input,
 * `if` and `each` is a nunjucks template; a string that is exactly one `${{ expression }}` keeps its JSON
 * type (arrays, objects, numbers, booleans), anything else renders to a string, and an empty result is
 * "not set". Objects are rebuilt without a prototype, so template data can never reach one.
 */
import { isSingleExpression, renderTemplateString, TemplateLimitError } from "./sandbox";

export type RenderContext = Record<string, unknown>;

/** Strings with nothing nunjucks would touch skip the sandbox. */
const TEMPLATED = /\$\{\{|\{%|\{#/;

async function renderString(value: string, ctx: RenderContext): Promise<unknown> {
  if (!TEMPLATED.test(value)) return value;
  if (await isSingleExpression(value)) {
    // ${{ parameters.tags }} → ${{ ( parameters.tags ) | dump }}, then JSON.parse: the value keeps its type.
    const dumped = value.replace(/\$\{\{(.+)\}\}/g, "${{ ( $1 ) | dump }}");
    try {
      const text = await renderTemplateString(dumped, ctx);
      if (text === "") return undefined;
      return JSON.parse(text);
    } catch (err) {
      if (err instanceof TemplateLimitError) throw err;
      // Fall back to a plain render, which reports the template's own error.
    }
  }
  const text = await renderTemplateString(value, ctx);
  return text === "" ? undefined : text;
}

export async function renderValue(input: unknown, ctx: RenderContext): Promise<unknown> {
  if (typeof input === "string") return renderString(input, ctx);
  if (Array.isArray(input)) {
    const out: unknown[] = [];
    for (const item of input) out.push(await renderValue(item, ctx));
    return out;
  }
  if (input && typeof input === "object") {
    const out: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(input)) {
      const v = await renderValue((input as Record<string, unknown>)[key], ctx);
      if (v !== undefined) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return input;
}

/** Backstage's isTruthy for `if:` — an empty array is false, otherwise JavaScript truthiness. */
export function isTruthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/** JSON round trip: plain objects with ordinary prototypes for JSON.stringify, none of template data's own. */
export function toJson<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}
