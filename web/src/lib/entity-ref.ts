/** Entity refs (`kind:namespace/name`) and the portal paths built from them. */
import type { CompoundEntityRef, PartialEntity } from "../types";

type RefDefaults = { defaultKind?: string; defaultNamespace?: string };

/** The parsing itself; undefined instead of an exception (hot path: table cells parse owners per row). */
function splitRef(ref: string, defaults: RefDefaults): CompoundEntityRef | { error: string } {
  const trimmed = ref.trim();
  const colon = trimmed.indexOf(":");
  const slash = trimmed.indexOf("/");
  let kind: string | undefined;
  let rest = trimmed;
  if (colon > 0 && (slash === -1 || colon < slash)) {
    kind = trimmed.slice(0, colon);
    rest = trimmed.slice(colon + 1);
  }
  const s = rest.indexOf("/");
  const namespace = s >= 0 ? rest.slice(0, s) : defaults.defaultNamespace ?? "default";
  const name = s >= 0 ? rest.slice(s + 1) : rest;
  kind = kind ?? defaults.defaultKind;
  if (!kind) return { error: `Entity reference "${ref}" has no kind` };
  if (!name) return { error: `Entity reference "${ref}" has no name` };
  return { kind, namespace: namespace || "default", name };
}

/**
 * Parses `kind:namespace/name`, `kind:name`, `namespace/name` or `name`, filling gaps from `defaults`.
 * Throws when the kind is missing and there is no default (like Backstage's parseEntityRef).
 */
export function parseEntityRef(ref: string, defaults: RefDefaults = {}): CompoundEntityRef {
  const r = splitRef(ref, defaults);
  if ("error" in r) throw new Error(r.error);
  return r;
}

/** Like parseEntityRef but returns undefined instead of throwing. */
export function tryParseEntityRef(ref: unknown, defaults: RefDefaults = {}): CompoundEntityRef | undefined {
  if (typeof ref !== "string" || !ref.trim()) return undefined;
  const r = splitRef(ref, defaults);
  return "error" in r ? undefined : r;
}

/** Lower-cased `kind:namespace/name`, the form relations and the API use. */
export function stringifyEntityRef(ref: CompoundEntityRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`.toLowerCase();
}

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
