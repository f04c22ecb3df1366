/**
 * The kinds a cached answer can hold, from its request: what read-cache.ts validates it against (kindTags).
 * Null when they are not known, and the answer then depends on the whole catalog.
 */
import type { EntityFilter } from "./query";

/**
 * The kinds every entity matching `filter` has: each ORed alternative must pin `kind` to listed values
 * (values are already lower-cased by the filter parser). No filter, or one alternative without a kind, is null.
 */
export function filterKinds(filter: EntityFilter | undefined): string[] | null {
  const anyOf = filter?.anyOf ?? [];
  if (!anyOf.length) return null;
  const kinds = new Set<string>();
  for (const alternative of anyOf) {
    const pinned = alternative.filter((s) => s.key === "kind" && s.values !== null);
    if (!pinned.length) return null;
    // Several kind statements in one alternative: an entity matches all of them, so any one bounds its kind.
    for (const v of pinned[0].values!) kinds.add(v);
  }
  return [...kinds];
}

/** The kinds of by-refs' refs (`kind:namespace/name`); null when one has no kind. */
export function refKinds(refs: readonly string[]): string[] | null {
  const kinds = new Set<string>();
  for (const ref of refs) {
    const colon = ref.indexOf(":");
    const slash = ref.indexOf("/");
    if (colon <= 0 || (slash !== -1 && slash < colon)) return null;
    kinds.add(ref.slice(0, colon).toLowerCase());
  }
  return [...kinds];
}

/**
 * The search keys an answer reads: those `filter` reads and `more` (an order field, full-text fields, facets),
 * lower-cased as search rows key them, and distinct: its feed dependency's keys (change-feed.ts).
 */
export function answerKeys(filter: EntityFilter | undefined, more: readonly string[] = []): string[] {
  const keys = [...(filter?.anyOf ?? []).flatMap((all) => all.map((s) => s.key)), ...more];
  return [...new Set(keys.map((k) => k.toLowerCase()))];
}
