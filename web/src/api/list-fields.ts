/** The entity fields list views request (`fields=`); keeps large `spec.definition`s off the wire. */

export const LIST_FIELDS = [
  "kind",
  "metadata.name",
  "metadata.namespace",
  "metadata.title",
  "metadata.description",
  "metadata.tags",
  "spec.type",
  "spec.owner",
  "spec.lifecycle",
  "spec.system",
  "spec.profile.displayName",
] as const;

export const SUMMARY_FIELDS = ["kind", "metadata.name", "metadata.namespace", "metadata.title", "metadata.description", "spec.type", "spec.profile.displayName"] as const;
