/**
 * The API explorer's model: catalog API entities → rows (type, owner, lifecycle, system, providers and
 * consumers from the `apiProvidedBy` / `apiConsumedBy` relations), filters and their facet counts, and
 * the filter ↔ URL query mapping. Pure.
 */

export interface ApiRow {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string;
  description?: string;
  type: string;
  owner?: string;
  lifecycle?: string;
  system?: string;
  tags: string[];
  providers: string[];
  consumers: string[];
}

export interface ApiFilter {
  type?: string;
  owner?: string;
  lifecycle?: string;
  text?: string;
}

export interface FacetCount {
  value: string;
  count: number;
}

type Loose = Record<string, unknown>;

function s(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}

/** `api:default/x` from the parts; kinds lower-cased the way Backstage compares them. */
export function refOfEntity(kind: string, namespace: string | undefined, name: string): string {
  return `${kind.toLowerCase()}:${namespace || "default"}/${name}`;
}

/** `component:default/x` → `x`; other namespaces keep theirs (`ns/x`). Kinds other than `fallbackKind` stay. */
export function shortRef(ref: string, fallbackKind?: string): string {
  const m = /^(?:([^:/]+):)?(?:([^/]+)\/)?(.+)$/.exec(ref);
  if (!m) return ref;
  const [, kind, ns, name] = m;
  const kindPart = kind && fallbackKind && kind.toLowerCase() !== fallbackKind.toLowerCase() ? `${kind}:` : "";
  return `${kindPart}${ns && ns !== "default" ? `${ns}/` : ""}${name}`;
}

/** The entity route of a ref: `/catalog/default/component/x`. */
export function entityPath(ref: string, defaultKind = "component"): string {
  const m = /^(?:([^:/]+):)?(?:([^/]+)\/)?(.+)$/.exec(ref);
  const kind = (m?.[1] ?? defaultKind).toLowerCase();
  const ns = m?.[2] ?? "default";
  const name = m?.[3] ?? ref;
  return `/catalog/${encodeURIComponent(ns)}/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`;
}

export function apiRowOf(entity: Loose): ApiRow | undefined {
  const metadata = (entity.metadata ?? {}) as Loose;
  const spec = (entity.spec ?? {}) as Loose;
  const name = s(metadata.name);
  if (!name) return undefined;
  const namespace = s(metadata.namespace) ?? "default";
  const kind = s(entity.kind) ?? "API";
  const providers: string[] = [];
  const consumers: string[] = [];
  const relations = Array.isArray(entity.relations) ? (entity.relations as Loose[]) : [];
  for (const r of relations) {
    const target = s(r?.targetRef);
    if (!target) continue;
    if (r.type === "apiProvidedBy") providers.push(target);
    else if (r.type === "apiConsumedBy") consumers.push(target);
  }
  return {
    ref: refOfEntity(kind, namespace, name),
    kind,
    namespace,
    name,
    title: s(metadata.title) ?? name,
    description: s(metadata.description),
    type: s(spec.type) ?? "unknown",
    owner: s(spec.owner),
    lifecycle: s(spec.lifecycle),
    system: s(spec.system),
    tags: Array.isArray(metadata.tags) ? (metadata.tags as unknown[]).filter((t): t is string => typeof t === "string") : [],
    providers: [...new Set(providers)].sort(),
    consumers: [...new Set(consumers)].sort(),
  };
}

/** Owner as shown and filtered: `group:default/team-a` and `team-a` are the same owner. */
export function ownerLabel(owner: string | undefined): string | undefined {
  return owner === undefined ? undefined : shortRef(owner, "group");
}

function eq(a: string | undefined, b: string): boolean {
  return (a ?? "").toLowerCase() === b.toLowerCase();
}

export function matchesFilter(row: ApiRow, f: ApiFilter, skip?: keyof ApiFilter): boolean {
  if (f.type && skip !== "type" && !eq(row.type, f.type)) return false;
  if (f.owner && skip !== "owner" && !eq(ownerLabel(row.owner), f.owner)) return false;
  if (f.lifecycle && skip !== "lifecycle" && !eq(row.lifecycle, f.lifecycle)) return false;
  const text = f.text?.trim().toLowerCase();
  if (text && skip !== "text") {
    const hay = [row.name, row.title, row.description ?? "", row.type, row.owner ?? "", row.system ?? "", ...row.tags, ...row.providers, ...row.consumers].join(" ").toLowerCase();
    if (!text.split(/\s+/).every((w) => hay.includes(w))) return false;
  }
  return true;
}

export function filterApis(rows: readonly ApiRow[], f: ApiFilter): ApiRow[] {
  return rows.filter((r) => matchesFilter(r, f)).sort((a, b) => a.title.localeCompare(b.title) || a.ref.localeCompare(b.ref));
}

/** Counts per facet value among the rows matching every *other* filter, so choices never lead to nothing. */
export function facetCounts(rows: readonly ApiRow[], f: ApiFilter): { type: FacetCount[]; owner: FacetCount[]; lifecycle: FacetCount[] } {
  const count = (key: "type" | "owner" | "lifecycle", pick: (r: ApiRow) => string | undefined) => {
    const m = new Map<string, number>();
    for (const r of rows) {
      if (!matchesFilter(r, f, key)) continue;
      const v = pick(r);
      if (v) m.set(v, (m.get(v) ?? 0) + 1);
    }
    return [...m].map(([value, n]) => ({ value, count: n })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  };
  return { type: count("type", (r) => r.type), owner: count("owner", (r) => ownerLabel(r.owner)), lifecycle: count("lifecycle", (r) => r.lifecycle) };
}

const KEYS = ["type", "owner", "lifecycle", "text"] as const;

export function filterFromSearch(search: string): ApiFilter {
  const sp = new URLSearchParams(search);
  const f: ApiFilter = {};
  for (const k of KEYS) {
    const v = sp.get(k === "text" ? "q" : k);
    if (v) f[k] = v.slice(0, 200);
  }
  return f;
}

export function filterToSearch(f: ApiFilter): string {
  const sp = new URLSearchParams();
  for (const k of KEYS) {
    const v = f[k];
    if (v) sp.set(k === "text" ? "q" : k, v);
  }
  const q = sp.toString();
  return q ? `?${q}` : "";
}
