/**
 * `$text` / `$json` / `$yaml` placeholders (Backstage's PlaceholderProcessor): an object whose only key is one
 * of those is replaced by the referenced file's content, read through the injected FileReader and resolved
 * relative to the entity's own location. Runs before validation. Never throws.
 * What a placeholder read is content from elsewhere: no message here quotes it (nor a parser's excerpt of
 * it, nor an untyped reader error), and `redactResolvedProblems` keeps later validation messages about
 * resolved fields from quoting it either.
 */
import type { FileReader, LocationSpec } from "./types";
import { RetryableError, GithubApiError } from "../github/errors";
import { PermanentReadError } from "../net/errors";
import { dirname, isGithubContentHost, isGithubUrl, joinPath, parseGithubFileUrl, resolveUrl } from "./location-url";
import { MAX_YAML_DEPTH, parseYamlDocuments } from "./parse-yaml";

const RESOLVERS = ["text", "json", "yaml"] as const;
type ResolverKey = (typeof RESOLVERS)[number];

/** Reads per entity are bounded so one document cannot fan out into unbounded I/O. */
export const MAX_PLACEHOLDERS_PER_ENTITY = 50;

export interface PlaceholderProblem {
  /** Dotted path of the placeholder object, e.g. `spec.definition`. */
  field: string | null;
  message: string;
}

/** A field whose value a placeholder replaced with content read from elsewhere. */
export interface ResolvedPlaceholder {
  /** Dotted path, null for the entity itself. */
  field: string | null;
  key: ResolverKey;
}

export interface PlaceholderResult {
  value: unknown;
  problems: PlaceholderProblem[];
  /** `type:target` of every file read, for refresh keys. */
  reads: string[];
  resolved: ResolvedPlaceholder[];
}

interface Context {
  location: LocationSpec;
  read?: FileReader;
  problems: PlaceholderProblem[];
  reads: string[];
  resolved: ResolvedPlaceholder[];
  count: number;
}

export async function resolvePlaceholders(value: unknown, location: LocationSpec, read?: FileReader): Promise<PlaceholderResult> {
  // Cheap path: almost no entity has placeholders, and the async walk allocates a promise per node.
  if (!hasDollarKey(value)) return { value, problems: [], reads: [], resolved: [] };
  const ctx: Context = { location, read, problems: [], reads: [], resolved: [], count: 0 };
  const resolved = await walk(value, [], ctx);
  return { value: resolved, problems: ctx.problems, reads: ctx.reads, resolved: ctx.resolved };
}

async function walk(data: unknown, path: string[], ctx: Context): Promise<unknown> {
  if (data === null || typeof data !== "object") return data;
  if (Array.isArray(data)) return Promise.all(data.map((item, i) => walk(item, [...path, String(i)], ctx)));
  const keys = Object.keys(data);
  const record = data as Record<string, unknown>;
  if (!keys.some((k) => k.startsWith("$"))) {
    const out: Record<string, unknown> = {};
    const values = await Promise.all(keys.map((k) => walk(record[k], [...path, k], ctx)));
    keys.forEach((k, i) => Object.defineProperty(out, k, { value: values[i], enumerable: true, writable: true, configurable: true }));
    return out;
  }
  // Several keys with a `$` among them, or an unknown `$key` (JSON Schema's `$ref`, ...): left exactly as written.
  const resolver = keys.length === 1 ? (keys[0].slice(1) as ResolverKey) : undefined;
  if (!resolver || !RESOLVERS.includes(resolver)) return data;
  const field = path.length > 0 ? path.join(".") : null;
  const value = await resolveOne(resolver, record[keys[0]], field, ctx);
  if (value !== null) ctx.resolved.push({ field, key: resolver });
  return value;
}

async function resolveOne(key: ResolverKey, value: unknown, field: string | null, ctx: Context): Promise<unknown> {
  const problem = (message: string) => {
    ctx.problems.push({ field, message });
    return null;
  };
  if (++ctx.count > MAX_PLACEHOLDERS_PER_ENTITY) {
    return problem(`Placeholder $${key} exceeds the limit of ${MAX_PLACEHOLDERS_PER_ENTITY} placeholders per entity`);
  }
  if (typeof value !== "string") {
    return problem(`Placeholder $${key} expected a string value parameter, in the form of an absolute URL or a relative path`);
  }
  let target: LocationSpec;
  try {
    target = placeholderTarget(value, ctx.location);
  } catch (e) {
    return problem(`Placeholder $${key} could not form a URL out of ${ctx.location.target} and ${value}, ${(e as Error).message}`);
  }
  const refused = target.type === "url" ? repositoryRule(ctx.location, target.target) : null;
  if (refused) return problem(refused);
  if (!ctx.read) return problem(`Placeholder $${key} could not read location ${value}, no file reader is available`);

  let content: string | undefined;
  try {
    content = await ctx.read(target);
  } catch (e) {
    return problem(`Placeholder $${key} could not read location ${value}, ${describeReadError(e)}`);
  }
  ctx.reads.push(`${target.type}:${target.target}`);
  if (content === undefined) {
    return problem(`Placeholder $${key} could not read location ${value}, NotFoundError: no file found at ${target.target}`);
  }
  if (key === "text") return content;
  if (key === "json") {
    let data: unknown;
    try {
      data = JSON.parse(content) as unknown;
    } catch {
      // The parser's message quotes the content.
      return problem(`Placeholder $json failed to parse JSON data at ${value}, the file is not valid JSON`);
    }
    // YAML is depth-bounded by its parser; JSON is not, and deep data would overflow later recursive walks.
    if (depthExceeds(data, MAX_YAML_DEPTH)) {
      return problem(`Placeholder $json data at ${value} is nested deeper than ${MAX_YAML_DEPTH} levels`);
    }
    return data;
  }
  const parsed = parseYamlDocuments(content);
  if (parsed.error) {
    const line = parsed.error.line ? ` (line ${parsed.error.line})` : "";
    return problem(`Placeholder $yaml failed to parse YAML data at ${value}, the file is not valid YAML${line}`);
  }
  if (parsed.documents.length !== 1) {
    return problem(`Placeholder $yaml expected to find exactly one document of data at ${value}, found ${parsed.documents.length}`);
  }
  return parsed.documents[0].value;
}

/** Where a placeholder points: URLs resolve like SCM URLs; file locations join relative paths to their folder. */
function placeholderTarget(value: string, base: LocationSpec): LocationSpec {
  if (base.type === "file" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return { type: "file", target: value.startsWith("/") ? value : joinPath(dirname(base.target), value) };
  }
  if (base.type !== "url" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new Error(`a relative path cannot be resolved against a ${base.type} location`);
  }
  return { type: "url", target: resolveUrl(value, base.type === "url" ? base.target : value) };
}

/**
 * Backstage's newer rule: a placeholder in an entity from an SCM integration may only read from the same
 * host and repository. Plain web URLs on other hosts stay allowed here (the reader's host allow-list
 * decides). Both URLs are parsed exactly as the GitHub reader parses them for its API call, so "same
 * repository" is decided on the owner/name the request would use. Returns the refusal, or null.
 */
function repositoryRule(base: LocationSpec, target: string): string | null {
  const fromGithub = base.type === "url" && isGithubUrl(base.target);
  let host: string;
  try {
    host = new URL(target).hostname;
  } catch {
    return null; // the reader refuses what is not a URL
  }
  if (!fromGithub || !isGithubContentHost(host)) return null;
  let file;
  try {
    file = parseGithubFileUrl(target);
  } catch (e) {
    return `Placeholder target is not a plain GitHub file URL: ${(e as Error).message}`;
  }
  let own;
  try {
    own = parseGithubFileUrl(base.target);
  } catch {
    own = null;
  }
  const same = !!file && !!own && file.owner.toLowerCase() === own.owner.toLowerCase() && file.name.toLowerCase() === own.name.toLowerCase();
  return same ? null : "Placeholder may only reference files from the same repository as the entity";
}

/** A reader's error without what it may carry from elsewhere: our typed errors name rule and target only. */
function describeReadError(e: unknown): string {
  if (e instanceof PermanentReadError || e instanceof RetryableError || e instanceof GithubApiError) return `${e.name}: ${e.message}`;
  return "the read failed";
}

/** One violation of a rule, as `redactResolvedProblems` sees it: ValidationProblem and friends. */
export interface RuleProblem {
  field: string | null;
  message: string;
  /** The rule in words, without the offending value. */
  rule?: string;
}

/**
 * Problems found on a value a placeholder brought in, re-worded to name the placeholder's field and the
 * rule only: validation messages quote values ("but found ..."), and this value is another file's content
 * that must not travel into processing errors, check runs or API answers. Other problems pass unchanged.
 */
export function redactResolvedProblems<P extends RuleProblem>(problems: P[], resolved: readonly ResolvedPlaceholder[]): P[] {
  if (resolved.length === 0) return problems;
  return problems.map((p) => {
    const from = resolved.find((r) => r.field === null || p.field === r.field || (p.field !== null && p.field.startsWith(`${r.field}.`)));
    if (!from) return p;
    const where = from.field === null ? "the entity" : from.field;
    const message = `The value of ${where} read through its $${from.key} placeholder is not valid (${p.rule ?? "entity validation"}); it is not shown because it comes from another file`;
    return { ...p, field: from.field, message };
  });
}

function depthExceeds(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

function hasDollarKey(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item); // no spread: huge arrays would overflow the argument limit
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key.startsWith("$")) return true;
      stack.push(child);
    }
  }
  return false;
}
