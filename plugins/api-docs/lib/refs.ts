/** Local JSON pointers (`#/components/schemas/Pet`) resolved against the document, own properties only. */
import { isObj, own, type Json } from "./json";

/** Resolves `#/a/b~1c`; anything else (external files, URLs) is unresolved and returns undefined. */
export function resolveLocalRef(doc: Json, ref: string): Json | undefined {
  if (ref === "#") return doc;
  if (!ref.startsWith("#/")) return undefined;
  let cur: unknown = doc;
  const parts = ref.slice(2).split("/");
  if (parts.length > 64) return undefined;
  for (const raw of parts) {
    let key: string;
    try {
      key = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    key = key.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
      cur = cur[Number(key)];
    } else cur = own(cur, key);
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function refOf(v: unknown): string | undefined {
  const r = own(v, "$ref");
  return typeof r === "string" ? r : undefined;
}

/** Follows `$ref` chains for objects such as parameters and responses; stops on a cycle or after 16 hops. */
export function deref(doc: Json, v: unknown): unknown {
  let cur = v;
  const seen = new Set<string>();
  for (let i = 0; i < 16; i++) {
    const ref = refOf(cur);
    if (ref === undefined || seen.has(ref)) return cur;
    seen.add(ref);
    const next = resolveLocalRef(doc, ref);
    if (next === undefined) return cur;
    cur = next;
  }
  return cur;
}

/** `#/components/schemas/Pet`, `#/definitions/Pet` → `Pet`. */
export function refName(ref: string): string {
  const parts = ref.split("/");
  const last = parts[parts.length - 1] || ref;
  try {
    return decodeURIComponent(last).replace(/~1/g, "/").replace(/~0/g, "~");
  } catch {
    return last;
  }
}

export { isObj };
