/**
 * Multi-document YAML parsing for untrusted catalog files: safe core schema only, duplicate keys rejected,
 * bounded size, nesting and alias expansion, 1-based start line per document. Never throws.
 */
import { constructFromEvents, EVENT_ID, parseEvents, YAMLException, type Event } from "js-yaml";

export const MAX_YAML_BYTES = 4 * 1024 * 1024;
export const MAX_YAML_DEPTH = 64;
/**
 * Budgets for one file, counted across all of its documents (and across the per-document second pass of a
 * broken file): a budget per document would let a file multiply it by its number of documents. Parsing
 * costs about 0.5 KB of memory per tiny document and ~120 bytes per node, and js-yaml shares one object
 * per anchor, so a billion-laughs file is cheap to parse but explodes when copied.
 */
export const MAX_YAML_DOCUMENTS = 5_000;
export const MAX_YAML_ALIASES = 10_000;
export const MAX_YAML_NODES = 500_000;
export const MAX_YAML_CHARS = 8 * 1024 * 1024;

/** A file over one of its budgets: the whole file is refused, never salvaged document by document. */
class YamlBudgetError extends Error {}

interface Budget {
  documents: number;
  aliases: number;
  nodes: number;
  chars: number;
}

const newBudget = (): Budget => ({ documents: 0, aliases: 0, nodes: 0, chars: 0 });

export interface YamlDocument {
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  /** 0-based position among all documents of the file, empty ones included. */
  index: number;
}

export interface YamlError {
  message: string;
  line: number | null;
  /** Index of the document the error belongs to, when known. */
  index?: number;
}

export interface YamlParseResult {
  documents: YamlDocument[];
  /** The first error; `errors` lists all of them when the file was salvaged document by document. */
  error?: YamlError;
  errors?: YamlError[];
}

export function parseYamlDocuments(content: string): YamlParseResult {
  try {
    return parseChecked(content);
  } catch (e) {
    // Defensive: nothing above should throw, but a parser bug must not take the caller down.
    return fail({ message: `Failed to parse YAML, ${errorText(e)}`, line: null });
  }
}

function parseChecked(content: string): YamlParseResult {
  if (typeof content !== "string") return fail({ message: "Expected the file content to be text", line: null });
  try {
    return parseWithin(content);
  } catch (e) {
    if (e instanceof YamlBudgetError) return fail({ message: e.message, line: null });
    throw e;
  }
}

function parseWithin(content: string): YamlParseResult {
  // Cheap upper bound first: a UTF-8 encoding is at most 3 bytes per UTF-16 unit.
  if (content.length * 3 > MAX_YAML_BYTES) {
    const bytes = new TextEncoder().encode(content).byteLength;
    if (bytes > MAX_YAML_BYTES) {
      return fail({ message: `File is too large (${bytes} bytes); the limit is ${MAX_YAML_BYTES} bytes`, line: null });
    }
  }
  checkDocumentMarkers(content);
  const lines = lineStarts(content);
  const whole = parseChunk(content, 0, 0, lines, newBudget());
  if (!whole.fatal) return finish(whole.documents, whole.errors);

  // STEP: the file as a whole is not valid YAML. Backstage's parser still yields the good documents of a
  // file with one broken document, so split at `---` markers and parse each part on its own. Cheap path
  // (one parse) is the common case; this second pass only runs for broken files.
  // Nothing of the failed pass is kept, so the second pass starts the file's budget afresh.
  const again = newBudget();
  const documents: YamlDocument[] = [];
  const errors: YamlError[] = [];
  let index = 0;
  for (const chunk of splitDocuments(content)) {
    const part = parseChunk(chunk.text, chunk.offset, index, lines, again);
    documents.push(...part.documents);
    errors.push(...part.errors);
    index = part.nextIndex;
  }
  if (errors.length === 0) errors.push(whole.errors[0]); // splitting hid the problem; report the original one
  return finish(documents, errors);
}

interface ChunkResult {
  documents: YamlDocument[];
  errors: YamlError[];
  nextIndex: number;
  /** True when the chunk could not be parsed at all. */
  fatal: boolean;
}

function parseChunk(source: string, offset: number, firstIndex: number, lines: number[], budget: Budget): ChunkResult {
  let events: Event[];
  let values: unknown[];
  try {
    events = parseEvents(source, { maxDepth: MAX_YAML_DEPTH });
    countEvents(events, budget);
    values = constructFromEvents(events, { source, maxAliases: MAX_YAML_ALIASES });
  } catch (e) {
    if (e instanceof YamlBudgetError) throw e;
    const position = e instanceof YAMLException && e.mark ? e.mark.position : null;
    const line = position === null ? null : lineOf(lines, offset + position);
    const reason = e instanceof YAMLException ? e.reason : errorText(e);
    const where = line === null ? "" : ` (line ${line})`;
    return {
      documents: [],
      errors: [{ message: `${reason}${where}`, line, index: firstIndex }],
      nextIndex: firstIndex + 1,
      fatal: true,
    };
  }
  const starts = documentStarts(events);
  const documents: YamlDocument[] = [];
  const errors: YamlError[] = [];
  values.forEach((raw, i) => {
    const index = firstIndex + i;
    const line = lineOf(lines, offset + (starts[i] ?? 0));
    if (raw === null || raw === undefined) return; // empty document, e.g. a trailing `---`
    try {
      documents.push({ value: toPlainJson(raw, budget), line, index });
    } catch (e) {
      if (e instanceof YamlBudgetError) throw e;
      errors.push({ message: `${errorText(e)} (line ${line})`, line, index });
    }
  });
  return { documents, errors, nextIndex: firstIndex + values.length, fatal: false };
}

/**
 * Refuses a file with too many documents before parsing it (parsing is where tiny documents cost memory).
 * A `---` line always starts a document and a `...` line always ends one, even inside a block scalar, so
 * either count above the budget means too many documents (or a file of nothing but markers).
 */
function checkDocumentMarkers(content: string): void {
  for (const [marker, what] of [[/^---(?=[ \t\r\n]|$)/gm, "start"], [/^\.\.\.(?=[ \t\r\n]|$)/gm, "end"]] as const) {
    let count = 0;
    marker.lastIndex = 0;
    while (marker.exec(content) !== null) {
      if (++count > MAX_YAML_DOCUMENTS) {
        throw new YamlBudgetError(`File has more than ${MAX_YAML_DOCUMENTS} document ${what} markers; the limit is ${MAX_YAML_DOCUMENTS} YAML documents per file`);
      }
    }
  }
}

/** Documents and aliases of a parsed chunk, added to the file's budget before anything is constructed. */
function countEvents(events: Event[], budget: Budget): void {
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT && ++budget.documents > MAX_YAML_DOCUMENTS) {
      throw new YamlBudgetError(`File has more than ${MAX_YAML_DOCUMENTS} YAML documents; the limit is ${MAX_YAML_DOCUMENTS} per file`);
    }
    if (event.type === EVENT_ID.ALIAS && ++budget.aliases > MAX_YAML_ALIASES) {
      throw new YamlBudgetError(`File has more than ${MAX_YAML_ALIASES} YAML aliases; the limit is ${MAX_YAML_ALIASES} per file`);
    }
  }
}

function finish(documents: YamlDocument[], errors: YamlError[]): YamlParseResult {
  if (errors.length === 0) return { documents };
  return { documents, error: errors[0], errors };
}

function fail(error: YamlError): YamlParseResult {
  return { documents: [], error, errors: [error] };
}

/** Source offset of each document's first node (tag, anchor or value), in document order. */
function documentStarts(events: Event[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i < events.length; i++) {
    if (events[i].type !== EVENT_ID.DOCUMENT) continue;
    const next = events[i + 1];
    starts.push(next ? nodePosition(next) : 0);
  }
  return starts;
}

function nodePosition(event: Event): number {
  for (const key of ["tagStart", "anchorStart", "valueStart", "start"] as const) {
    const value = (event as unknown as Record<string, number | undefined>)[key];
    if (typeof value === "number" && value >= 0) return value;
  }
  return 0;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Splits at lines starting with `---`; a document marker at column 0 always ends the previous document.
 * `%` directive lines just above a marker belong to the document that marker opens.
 */
function splitDocuments(text: string): { text: string; offset: number }[] {
  const chunks: { text: string; offset: number }[] = [];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  let start = 0;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    const cut = directivesStart(text, m.index, start);
    if (cut > start) chunks.push({ text: text.slice(start, cut), offset: start });
    start = cut;
    marker.lastIndex = m.index + 3;
  }
  chunks.push({ text: text.slice(start), offset: start });
  return chunks.filter((c) => c.text.trim() !== "" || c.offset === 0);
}

/** Offset of the first `%` directive line directly above `lineStart` (blank and comment lines may sit between). */
function directivesStart(text: string, lineStart: number, floor: number): number {
  let cut = lineStart;
  let pos = lineStart;
  while (pos > floor) {
    // The line above starts after the newline before `pos - 1` (the newline ending it), or at 0. With
    // pos = 1, lastIndexOf("\n", -1) would find a leading newline again and never move up: guard both ways.
    const prev = pos >= 2 ? text.lastIndexOf("\n", pos - 2) + 1 : 0;
    if (prev >= pos) break;
    const line = text.slice(Math.max(prev, floor), pos);
    if (line.startsWith("%")) cut = Math.max(prev, floor);
    else if (!/^[ \t]*(#.*)?\r?\n?$/.test(line)) break;
    pos = Math.max(prev, floor);
    if (prev === 0) break;
  }
  return cut;
}

/**
 * Copies the parsed value into plain JSON data: aliases are expanded into real copies (within the file's
 * node and character budgets, so an alias bomb fails fast), non-finite numbers become null like JSON
 * does, a self-referencing anchor stops at the depth limit, and a `__proto__` key stays an ordinary
 * property.
 */
function toPlainJson(root: unknown, budget: Budget): unknown {
  const over = (what: string, limit: number) =>
    new YamlBudgetError(`YAML ${budget.aliases ? "aliases expand" : "file expands"} to more than ${limit} ${what}; the limit is ${limit} per file`);
  const copy = (value: unknown, depth: number): unknown => {
    if (++budget.nodes > MAX_YAML_NODES) throw over("nodes", MAX_YAML_NODES);
    if (depth > MAX_YAML_DEPTH) throw new Error(`YAML nesting is deeper than ${MAX_YAML_DEPTH} levels`);
    if (typeof value === "string") {
      budget.chars += value.length;
      if (budget.chars > MAX_YAML_CHARS) throw over("characters", MAX_YAML_CHARS);
      return value;
    }
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (value === null || typeof value === "boolean") return value;
    if (Array.isArray(value)) return value.map((item) => copy(item, depth + 1));
    if (typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        budget.chars += key.length;
        if (budget.chars > MAX_YAML_CHARS) throw over("characters", MAX_YAML_CHARS);
        const v = copy((value as Record<string, unknown>)[key], depth + 1);
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return null; // the core schema produces nothing else; be safe anyway
  };
  return copy(root, 0);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
