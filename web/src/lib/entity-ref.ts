/**
 * Entity refs in the portal: the paths and labels built from them. Parsing and the canonical string form are
 * contract/entity-ref.ts, the same module the worker uses, so the two sides cannot disagree about a ref.
 */
import type { CompoundEntityRef, PartialEntity } from "../../../contract/entity";
import { parseEntityRef, stringifyEntityRef, tryParseEntityRef } from "../../../contract/entity-ref";

export { parseEntityRef, stringifyEntityRef, tryParseEntityRef };

export function entityRefOf(e: PartialEntity): string {
  return stringifyEntityRef({
    kind: e.kind ?? "unknown",
    namespace: e.metadata?.namespace ?? "default",
    name: e.metadata?.name ?? "unknown",
  });
}

/** `/catalog/:namespace/:kind/:name` (kind lower-cased, like Backstage's entity route). */
export function entityPath(ref: CompoundEntityRef | string): string {
  const r = typeof ref === "string" ? parseEntityRef(ref) : ref;
  return `/catalog/${encodeURIComponent(r.namespace.toLowerCase())}/${encodeURIComponent(r.kind.toLowerCase())}/${encodeURIComponent(r.name)}`;
}

export function entityPathOf(e: PartialEntity): string {
  return entityPath({ kind: e.kind ?? "unknown", namespace: e.metadata?.namespace ?? "default", name: e.metadata?.name ?? "unknown" });
}

/** Short form for display: `name` in the default namespace, `namespace/name` elsewhere; kind only if asked. */
export function humanizeRef(ref: CompoundEntityRef | string, opts: { withKind?: boolean } = {}): string {
  const r = typeof ref === "string" ? tryParseEntityRef(ref) : ref;
  if (!r) return String(ref);
  const base = r.namespace.toLowerCase() === "default" ? r.name : `${r.namespace}/${r.name}`;
  return opts.withKind ? `${r.kind.toLowerCase()}:${base}` : base;
}

/** Title, profile display name, or name. */
export function displayName(e: PartialEntity | undefined | null): string {
  if (!e) return "";
  const profile = e.spec?.profile as { displayName?: unknown } | undefined;
  if (typeof e.metadata?.title === "string" && e.metadata.title) return e.metadata.title;
  if (profile && typeof profile.displayName === "string" && profile.displayName) return profile.displayName;
  return e.metadata?.name ?? "";
}

/** Resolves `spec.owner`-style values (`team-a`, `group:team-a`, `user:ns/x`) to a full ref. */
export function resolveRef(value: unknown, defaultKind: string, defaultNamespace = "default"): string | undefined {
  const r = tryParseEntityRef(value, { defaultKind, defaultNamespace });
  return r ? stringifyEntityRef(r) : undefined;
}
