/**
 * Relations a validated entity emits, as Backstage's BuiltinKindsEntityProcessor (and the scaffolder's
 * Template processor) emit them: both halves of every pair, refs lower-cased, short refs defaulting to the
 * field's kind and the entity's own namespace.
 */
import type { Entity, RelationRow } from "./types";
import { DEFAULT_NAMESPACE, parseEntityRef, stringifyEntityRef } from "./entity-ref";
import { findKindDefinition } from "./kinds";
import { ModelError } from "./model-error";

/** Throws ModelError (InputError, naming the field) when a ref cannot be parsed, e.g. `dependsOn` without a kind. */
export function buildRelations(entity: Entity): RelationRow[] {
  const definition = findKindDefinition(entity);
  if (!definition || definition.refFields.length === 0) return [];
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const selfNamespace = entity.metadata.namespace || DEFAULT_NAMESPACE;
  const selfRef = stringifyEntityRef(entity);
  const rows = new Map<string, RelationRow>();
  const add = (row: RelationRow) => rows.set(`${row.sourceRef}\n${row.type}\n${row.targetRef}`, row);

  for (const { field, forward, reverse, defaultKind } of definition.refFields) {
    const value = Object.hasOwn(spec, field) ? spec[field] : undefined;
    // Backstage skips falsy values and accepts a single ref where a list is expected ([targets].flat()).
    if (!value) continue;
    const targets = Array.isArray(value) ? value : [value];
    targets.forEach((target, i) => {
      const path = Array.isArray(value) ? `spec.${field}.${i}` : `spec.${field}`;
      if (typeof target !== "string") {
        throw new ModelError("InputError", `Entity reference in ${path} must be a string, got ${JSON.stringify(target)}`, path);
      }
      let targetRef: string;
      try {
        targetRef = stringifyEntityRef(parseEntityRef(target, { defaultKind, defaultNamespace: selfNamespace }));
      } catch (e) {
        throw new ModelError("InputError", `Invalid entity reference in ${path}: ${(e as Error).message}`, path);
      }
      add({ sourceRef: selfRef, type: forward, targetRef });
      add({ sourceRef: targetRef, type: reverse, targetRef: selfRef });
    });
  }
  return [...rows.values()].sort(compareRows);
}

function compareRows(a: RelationRow, b: RelationRow): number {
  return cmp(a.sourceRef, b.sourceRef) || cmp(a.type, b.type) || cmp(a.targetRef, b.targetRef);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
