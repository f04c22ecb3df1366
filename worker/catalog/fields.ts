/**
 * Backstage's `fields` projection: keep only the listed dotted paths of an entity. Entities are untrusted
 * data: only their own keys are followed, and the projection is built with defineProperty, so a
 * `__proto__`, `constructor` or `prototype` key is copied as data and never reaches a prototype.
 */

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

function setOwn(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Keys may contain dots (annotation keys such as `backstage.io/techdocs-ref`): when a segment is not
 * found, it is joined with the next one and tried again, as Backstage does.
 */
function pick(source: unknown, parts: string[], target: Json): void {
  if (!parts.length || !isRecord(source)) return;
  for (let n = 1; n <= parts.length; n++) {
    const key = parts.slice(0, n).join(".");
    if (!Object.hasOwn(source, key)) continue;
    const rest = parts.slice(n);
    if (!rest.length) {
      setOwn(target, key, source[key]);
      return;
    }
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    const child: Json = isRecord(existing) ? existing : {};
    pick(source[key], rest, child);
    if (Object.keys(child).length) setOwn(target, key, child);
    return;
  }
}

export function projectFields<T>(entity: T, fields: string[] | undefined): T | Record<string, unknown> {
  if (!fields?.length) return entity;
  const out: Json = {};
  for (const f of fields) pick(entity, f.split("."), out);
  return out;
}

/** Renders a list of entity JSON strings, projecting only when fields were requested. */
export function renderEntityList(jsons: (string | null)[], fields: string[] | undefined): string {
  if (!fields?.length) return `[${jsons.map((j) => j ?? "null").join(",")}]`;
  return JSON.stringify(jsons.map((j) => (j === null ? null : projectFields(JSON.parse(j), fields))));
}
