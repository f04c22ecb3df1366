/**
 * Small JSON helpers for template parameters: plain-object checks, own-property reads and writes that never
 * touch a prototype (values and schemas come from users and templates), JSON pointers.
 */

export type JsonSchema = { [key: string]: unknown };
export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An own property, never one inherited from a prototype (`__proto__`, `constructor` are plain keys here). */
export function own(obj: unknown, key: string): unknown {
  return isObject(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Sets an own data property even for `__proto__`, so a hostile key stays data and changes no prototype. */
export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy of JSON data that keeps `__proto__` keys as data (JSON.parse does too; spread would not). */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const k of Object.keys(value)) setOwn(out, k, cloneJson(value[k]));
    return out as T;
  }
  return value;
}

/** Nesting depth of JSON data; bounded walk so a hostile value cannot overflow the stack. */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) return true;
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else if (isObject(v)) for (const k of Object.keys(v)) stack.push([v[k], d + 1]);
  }
  return false;
}

export function encodePointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function decodePointerSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** "/a/b~1c" → ["a", "b/c"]; "" (the whole document) → []. Accepts the validator's "#/a" form too. */
export function pointerSegments(pointer: string): string[] {
  const p = pointer.startsWith("#") ? pointer.slice(1) : pointer;
  if (p === "") return [];
  return p.slice(1).split("/").map((s) => decodePointerSegment(safeDecodeURIComponent(s)));
}

function safeDecodeURIComponent(s: string): string {
  // The validator URI-encodes nothing today; decoding keeps us right if it ever does, without throwing.
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function toPointer(segments: readonly string[]): string {
  return segments.map((s) => "/" + encodePointerSegment(s)).join("");
}

/** The value at a pointer, own properties only; undefined when the path does not exist. */
export function getAt(doc: unknown, segments: readonly string[]): unknown {
  let cur = doc;
  for (const s of segments) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(s)) return undefined;
      cur = cur[Number(s)];
    } else if (isObject(cur)) cur = own(cur, s);
    else return undefined;
  }
  return cur;
}

/** A copy of `doc` with the value at `segments` replaced (undefined deletes it); missing objects are created. */
export function setAt(doc: unknown, segments: readonly string[], value: unknown): unknown {
  if (segments.length === 0) return value;
  const [head, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(doc) && /^(0|[1-9]\d*)$/.test(head)) {
    const copy = doc.slice();
    const i = Number(head);
    const next = setAt(copy[i], rest, value);
    if (next === undefined && i < copy.length) copy.splice(i, 1);
    else if (next !== undefined) copy[i] = next;
    return copy;
  }
  const base: JsonObject = isObject(doc) ? doc : {};
  const next = setAt(own(base, head), rest, value);
  const out: JsonObject = {};
  let placed = false;
  for (const k of Object.keys(base)) {
    if (k !== head) setOwn(out, k, base[k]);
    else {
      placed = true;
      if (next !== undefined) setOwn(out, k, next);
    }
  }
  if (!placed && next !== undefined) setOwn(out, head, next);
  return out;
}
