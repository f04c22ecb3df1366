/** Field-level diff of two entity versions, for the change log. */

export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

const IGNORED = new Set(["metadata.uid", "metadata.etag"]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Objects are walked key by key; arrays and scalars compare as whole values (a tag list is one change). */
export function diffEntities(before: unknown, after: unknown, path = "", out: FieldChange[] = []): FieldChange[] {
  if (IGNORED.has(path)) return out;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of [...keys].sort()) diffEntities(before[k], after[k], path ? `${path}.${k}` : k, out);
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
