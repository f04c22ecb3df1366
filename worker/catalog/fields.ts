/** Backstage's `fields` projection: keep only the listed dotted paths of an entity. */

/**
 * Keys may contain dots (annotation keys such as `backstage.io/techdocs-ref`): when a segment is not
 * found, it is joined with the next one and tried again, as Backstage does.
 */
function pick(source: unknown, parts: string[], target: Record<string, unknown>): void {
  if (!parts.length || source === null || typeof source !== "object" || Array.isArray(source)) return;
  const obj = source as Record<string, unknown>;
  for (let n = 1; n <= parts.length; n++) {
    const key = parts.slice(0, n).join(".");
    if (!(key in obj)) continue;
    const rest = parts.slice(n);
    if (!rest.length) {
      target[key] = obj[key];
      return;
    }
    const child = (target[key] ??= {}) as Record<string, unknown>;
    pick(obj[key], rest, child);
    if (typeof child === "object" && child && !Object.keys(child).length) delete target[key];
    return;
  }
}

export function projectFields<T>(entity: T, fields: string[] | undefined): T | Record<string, unknown> {
  if (!fields?.length) return entity;
  const out: Record<string, unknown> = {};
  for (const f of fields) pick(entity, f.split("."), out);
  return out;
}

/** Renders a list of entity JSON strings, projecting only when fields were requested. */
export function renderEntityList(jsons: (string | null)[], fields: string[] | undefined): string {
  if (!fields?.length) return `[${jsons.map((j) => j ?? "null").join(",")}]`;
  return JSON.stringify(jsons.map((j) => (j === null ? null : projectFields(JSON.parse(j), fields))));
}
