/**
 * The path half of the proxy: the caller's path (what follows `/api/proxy/<name>`) → the upstream URL, and
 * the endpoint's path allow-list. The target is fixed by config; the caller's path is split on '/' first,
 * each segment decoded exactly once and refused if it could change which resource or host is named (empty,
 * `.`/`..` in any encoding, an encoded '/' or '\', a control character, anything still encoded after one
 * decode), then re-encoded by us and appended under the target's base path. The built URL is parsed back
 * and must have the target's origin and exactly the path we built, or the request is refused.
 */
import { ApiError } from "../errors";
import { underBasePath, type ProxyTarget } from "../net/policy";

export const MAX_PATH_LENGTH = 2048;
export const MAX_SEGMENTS = 64;
export const MAX_QUERY_LENGTH = 4096;

const CONTROL = /[\u0000-\u001f\u007f]/;
const ENCODED = /%[0-9a-f]{2}/i;

export interface ProxyPath {
  /** Decoded segments, each naming exactly one path element. */
  segments: string[];
  trailingSlash: boolean;
}

/** Why a decoded segment may not be sent, or null. */
function segmentProblem(segment: string): string | null {
  if (segment === "") return "has an empty segment ('//')";
  if (segment === "." || segment === "..") return "has a dot segment ('.' or '..', encoded or not)";
  if (segment.includes("/") || segment.includes("\\")) return "has an encoded path separator (%2F or %5C)";
  if (CONTROL.test(segment)) return "has a control character";
  if (ENCODED.test(segment)) return "is encoded twice (a '%xx' left after decoding)";
  // Servers that apply Unicode compatibility folding (IIS, some frameworks) read fullwidth '．．' or '／' as the real ones.
  const folded = segment.normalize("NFKC");
  if (folded === "." || folded === ".." || /[/\\]/.test(folded)) return "has a character that folds to a dot segment or a path separator";
  return null;
}

function decodeOnce(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

const refuse = (message: string) => new ApiError("InputError", `Proxy path ${message}`);

/** The caller's raw path after `/api/proxy/<name>` (`""`, `"/"`, `"/a/b"`), checked and decoded. */
export function normalizeProxyPath(rawRest: string): ProxyPath {
  if (rawRest.length > MAX_PATH_LENGTH) throw new ApiError("URITooLongError", `Proxy paths are at most ${MAX_PATH_LENGTH} characters`);
  if (rawRest === "") return { segments: [], trailingSlash: false };
  if (!rawRest.startsWith("/")) throw refuse("must start with '/'");
  if (rawRest.includes("\\")) throw refuse("has a backslash");
  if (/[\u0000-\u0020\u007f]/.test(rawRest)) throw refuse("has a space or control character");
  const parts = rawRest.slice(1).split("/");
  const trailingSlash = parts[parts.length - 1] === "";
  if (trailingSlash) parts.pop();
  if (parts.length > MAX_SEGMENTS) throw new ApiError("URITooLongError", `Proxy paths have at most ${MAX_SEGMENTS} segments`);
  const segments = parts.map((raw) => {
    const segment = decodeOnce(raw);
    if (segment === null) throw refuse("has a malformed percent-encoding");
    const problem = segmentProblem(segment);
    if (problem) throw refuse(problem);
    return segment;
  });
  return { segments, trailingSlash };
}

/** A config target's path (already WHATWG-parsed): why it is unusable as a base, or null. */
export function checkTargetPath(pathname: string): string | null {
  const parts = pathname.slice(1).split("/");
  if (parts[parts.length - 1] === "") parts.pop();
  for (const raw of parts) {
    const segment = decodeOnce(raw);
    const problem = segment === null ? "has a malformed percent-encoding" : segmentProblem(segment);
    if (problem) return problem;
  }
  return null;
}

/**
 * One segment in the form we send: percent-encoded except for unreserved characters and RFC 3986's
 * sub-delims, ':' and '@' (legal inside a path segment, and APIs use them: `x:run`, `@scope`). Safe here
 * because the URL is built as origin + '/'-led path, never resolved relative to anything.
 */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%(24|26|2B|2C|3B|3D|3A|40)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The upstream URL for a checked path and the caller's raw query (`""` or `"?..."`). */
export function upstreamUrl(target: ProxyTarget, path: ProxyPath, search: string): URL {
  if (search.length > MAX_QUERY_LENGTH) throw new ApiError("URITooLongError", `Proxy query strings are at most ${MAX_QUERY_LENGTH} characters`);
  if (search !== "" && (!search.startsWith("?") || search.includes("#") || /[\u0000-\u0020\u007f]/.test(search))) throw refuse("has a malformed query string");
  const rest = path.segments.map((s) => `/${encodeSegment(s)}`).join("") + (path.trailingSlash ? "/" : "");
  const pathname = `${target.basePath}${rest}` || "/";
  let url: URL;
  try {
    url = new URL(`${target.origin}${pathname}${search}`);
  } catch {
    throw refuse("does not make a valid URL");
  }
  // Defence in depth: nothing above can change the origin or let the parser rewrite the path; if it ever
  // did, the request is refused instead of going somewhere else.
  if (url.origin !== target.origin || url.pathname !== pathname || !underBasePath(url.pathname, target.basePath)) {
    throw refuse("would leave the endpoint's target");
  }
  return url;
}

/* ---------------------------------------------------------------------------------------------------------
 * Path allow-lists. Rules are written decoded, '/'-separated: a rule without wildcards is a prefix on segment
 * boundaries (`/incidents` allows `/incidents` and `/incidents/42`, not `/incidents-x`); `*` inside a segment
 * matches any characters of that one segment; a `**` segment matches any number of segments, none included.
 * A rule with wildcards matches whole paths (end it with `/**` for "and below").
 * ------------------------------------------------------------------------------------------------------- */

type SegmentRule = { any: true } | { glob: string } | { literal: string };
export interface PathRule {
  source: string;
  segments: SegmentRule[];
  prefix: boolean;
}

const MAX_RULE_SEGMENTS = 32;

export function compilePathRules(rules: readonly string[]): PathRule[] {
  return rules.map((source) => {
    if (!source.startsWith("/")) throw new Error(`'${source.slice(0, 80)}' must start with '/'`);
    const parts = source.slice(1).split("/");
    if (parts[parts.length - 1] === "") parts.pop();
    if (parts.length > MAX_RULE_SEGMENTS) throw new Error(`'${source.slice(0, 80)}' has more than ${MAX_RULE_SEGMENTS} segments`);
    let wild = false;
    const segments = parts.map((part): SegmentRule => {
      if (part.includes("%")) throw new Error(`'${source.slice(0, 80)}': write paths decoded (no '%')`);
      const problem = segmentProblem(part);
      if (problem) throw new Error(`'${source.slice(0, 80)}' ${problem}`);
      if (part === "**") return (wild = true), { any: true };
      if (part.includes("**")) throw new Error(`'${source.slice(0, 80)}': '**' must be a whole segment`);
      if (part.includes("*")) {
        wild = true;
        return { glob: part };
      }
      return { literal: part };
    });
    return { source, segments, prefix: !wild };
  });
}

/** `*` in `pattern` matches any run of characters; linear backtracking to the last star (no regex, no blow-up). */
function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== "*" && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

function matchSegment(rule: SegmentRule, segment: string): boolean {
  return "literal" in rule ? rule.literal === segment : "glob" in rule ? globMatch(rule.glob, segment) : true;
}

/** Whether `segments` match `rule`; `**` by dynamic programming, so no rule can make matching blow up. */
function matches(rule: PathRule, segments: readonly string[]): boolean {
  const r = rule.segments;
  if (rule.prefix) return r.length <= segments.length && r.every((s, i) => matchSegment(s, segments[i]));
  // can[i][j]: rule segments from i match path segments from j.
  let next: boolean[] = Array.from({ length: segments.length + 1 }, (_, j) => j === segments.length);
  for (let i = r.length - 1; i >= 0; i--) {
    const here: boolean[] = new Array(segments.length + 1).fill(false);
    for (let j = segments.length; j >= 0; j--) {
      const s = r[i];
      if ("any" in s) here[j] = next[j] || (j < segments.length && here[j + 1]);
      else here[j] = j < segments.length && matchSegment(s, segments[j]) && next[j + 1];
    }
    next = here;
  }
  return next[0];
}

export function pathAllowed(rules: readonly PathRule[] | null, segments: readonly string[]): boolean {
  return rules === null || rules.some((rule) => matches(rule, segments));
}
