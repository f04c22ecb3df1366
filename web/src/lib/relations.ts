/** Relation types as people read them, and their display order on entity pages. */

const LABELS: Record<string, string> = {
  ownedby: "Owned by",
  ownerof: "Owner of",
  partof: "Part of",
  haspart: "Has part",
  memberof: "Member of",
  hasmember: "Members",
  childof: "Child of",
  parentof: "Parent of",
  dependson: "Depends on",
  dependencyof: "Dependency of",
  providesapi: "Provides API",
  apiprovidedby: "Provided by",
  consumesapi: "Consumes API",
  apiconsumedby: "Consumed by",
};

const ORDER = Object.keys(LABELS);

export function relationLabel(type: string): string {
  const known = LABELS[type.toLowerCase()];
  if (known) return known;
  const words = type.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function compareRelationTypes(a: string, b: string): number {
  const ia = ORDER.indexOf(a.toLowerCase());
  const ib = ORDER.indexOf(b.toLowerCase());
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
}

/** `[{type, targetRef}]` → `[[type, refs[]]]` in display order, refs de-duplicated. */
export function groupRelations(relations: readonly { type: string; targetRef: string }[] | undefined): [string, string[]][] {
  const groups = new Map<string, Set<string>>();
  for (const r of relations ?? []) {
    const set = groups.get(r.type) ?? groups.set(r.type, new Set()).get(r.type)!;
    set.add(r.targetRef.toLowerCase());
  }
  return [...groups.entries()].map(([t, refs]) => [t, [...refs].sort()] as [string, string[]]).sort((a, b) => compareRelationTypes(a[0], b[0]));
}

export function targetsOf(relations: readonly { type: string; targetRef: string }[] | undefined, type: string): string[] {
  const t = type.toLowerCase();
  return [...new Set((relations ?? []).filter((r) => r.type.toLowerCase() === t).map((r) => r.targetRef.toLowerCase()))];
}
