/**
 * Small readers for untrusted JSON/YAML values. Every property read goes through `own()` so a document's
 * `__proto__`, `constructor` or `$ref: "#/constructor"` never reaches an object prototype.
 */

export type Json = unknown;
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An own property of a plain value, or undefined (never an inherited one). */
export function own(o: unknown, key: string): unknown {
  if (typeof o !== "object" || o === null) return undefined;
  return Object.prototype.hasOwnProperty.call(o, key) ? (o as Obj)[key] : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}

/** A scalar as display text (`1.0.0` parsed by YAML as a number stays readable). */
export function text(v: unknown): string | undefined {
  if (typeof v === "string") return v || undefined;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

export function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Own enumerable entries of an object value, capped so a hostile document cannot make us walk millions. */
export function entries(o: unknown, max = 5000): [string, unknown][] {
  if (!isObj(o)) return [];
  const out: [string, unknown][] = [];
  for (const k of Object.keys(o)) {
    if (out.length >= max) break;
    out.push([k, o[k]]);
  }
  return out;
}

/**
 * JSON text of a value for examples, bounded in size and safe on shared or cyclic structures (YAML anchors
 * make DAGs: a "billion laughs" document is small as a graph and enormous as text).
 */
export function boundedJson(value: unknown, maxChars = 20_000): string {
  let budget = maxChars;
  let truncated = false;
  const stack = new Set<unknown>();
  const walk = (v: unknown, indent: string): string => {
    if (budget <= 0) {
      truncated = true;
      return "…";
    }
    if (v === null || typeof v === "number" || typeof v === "boolean") {
      const s = String(v);
      budget -= s.length;
      return s;
    }
    if (typeof v === "string") {
      const s = JSON.stringify(v.length > budget ? `${v.slice(0, Math.max(0, budget))}…` : v);
      budget -= s.length;
      return s;
    }
    if (v instanceof Date) {
      const s = JSON.stringify(v.toISOString());
      budget -= s.length;
      return s;
    }
    if (typeof v !== "object") return "null";
    if (stack.has(v)) return '"[circular]"';
    stack.add(v);
    const next = `${indent}  `;
    let out: string;
    if (Array.isArray(v)) {
      const parts: string[] = [];
      for (const item of v) {
        if (budget <= 0) {
          truncated = true;
          parts.push("…");
          break;
        }
        parts.push(next + walk(item, next));
        budget -= next.length + 2;
      }
      out = parts.length ? `[\n${parts.join(",\n")}\n${indent}]` : "[]";
    } else {
      const parts: string[] = [];
      for (const k of Object.keys(v)) {
        if (budget <= 0) {
          truncated = true;
          parts.push(`${next}…`);
          break;
        }
        budget -= k.length + next.length + 4;
        parts.push(`${next}${JSON.stringify(k)}: ${walk((v as Obj)[k], next)}`);
      }
      out = parts.length ? `{\n${parts.join(",\n")}\n${indent}}` : "{}";
    }
    stack.delete(v);
    return out;
  };
  let s = walk(value, "");
  // The budget counts values, not indentation: clip the text itself so the bound is exact.
  if (s.length > maxChars) {
    s = s.slice(0, maxChars);
    truncated = true;
  }
  return truncated ? `${s}\n// truncated` : s;
}
