/** Search keys whose values facet_counts counts at write time (store/derived.ts), per kind and overall. */
export const COUNTED_FACET_KEYS: ReadonlySet<string> = new Set([
  "kind",
  "apiversion",
  "metadata.namespace",
  "metadata.tags",
  "spec.type",
  "spec.lifecycle",
  "spec.owner",
  "spec.system",
  "spec.domain",
]);
