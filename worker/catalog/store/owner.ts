/** The lower-cased owner ref of an entity (spec.owner, default kind Group, own namespace), for the change log. */
import type { Entity } from "../types";
import { parseEntityRef, stringifyEntityRef } from "../entity-ref";

export function ownerRefOf(entity: Pick<Entity, "metadata" | "spec">): string | null {
  const owner = entity.spec?.owner;
  if (typeof owner !== "string" || !owner) return null;
  try {
    return stringifyEntityRef(parseEntityRef(owner, { defaultKind: "group", defaultNamespace: entity.metadata.namespace ?? "default" }));
  } catch {
    return null;
  }
}
