/**
 * Field-level diff of two entity versions, for the change log. Only own keys are read: a key one version
 * lacks (`__proto__`, `constructor`, ...) is absent, not whatever Object.prototype answers to that name.
 */

export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

const IGNORED = new Set(["metadata.uid", "metadata.etag"]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

/** Objects are walked key by key; arrays and scalars compare as whole values (a tag list is one change). */
export function diffEntities(before: unknown, after: unknown, path = "", out: FieldChange[] = []): FieldChange[] {
  if (IGNORED.has(path)) return out;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of [...keys].sort()) diffEntities(own(before, k), own(after, k), path ? `${path}.${k}` : k, out);
    return out;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    out.push({
      path,
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    });
  }
  return out;
}
