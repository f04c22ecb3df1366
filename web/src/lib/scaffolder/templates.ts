/**
 * The /create page's template list: Template entities as cards, filtered by type, tags, owner and free
 * text, with the filter state in the URL (`?type=service&tag=go&owner=group:default/a&q=pay`).
 */
import type { PartialEntity } from "../../../../contract/entity";
import { resolveRef } from "../entity-ref";

export interface TemplateCardData {
  ref: string;
  namespace: string;
  name: string;
  title: string;
  description: string;
  type: string;
  tags: string[];
  /** Entity ref of the owner (`ownedBy` relation, else `spec.owner` completed as a group). */
  owner?: string;
}

export interface TemplateFilters {
  types: string[];
  tags: string[];
  owners: string[];
  q: string;
}

export const TEMPLATE_FIELDS = [
  "kind",
  "metadata.name",
  "metadata.namespace",
  "metadata.title",
  "metadata.description",
  "metadata.tags",
  "spec.type",
  "spec.owner",
  "relations",
];

/**
 * The template's owner: its `ownedBy` relation, else `spec.owner` completed as a group in the template's namespace.
 * Parsed with the portal's own entity-ref module (in the initial bundle), not contract/template-params: this
 * module is shared with the template form, and the form's schema code should not load with the /create list.
 */
export function templateOwnerRef(e: PartialEntity): string | undefined {
  const rel = e.relations?.find((r) => r.type === "ownedBy");
  if (rel) return rel.targetRef;
  return resolveRef(e.spec?.owner, "group", e.metadata?.namespace ?? "default");
}

export function templateCard(e: PartialEntity): TemplateCardData {
  const namespace = e.metadata?.namespace ?? "default";
  const name = e.metadata?.name ?? "unknown";
  const type = typeof e.spec?.type === "string" ? e.spec.type : "other";
  const owner = templateOwnerRef(e);
  return {
    ref: `template:${namespace}/${name}`.toLowerCase(),
    namespace,
    name,
    title: e.metadata?.title || name,
    description: e.metadata?.description ?? "",
    type,
    tags: Array.isArray(e.metadata?.tags) ? e.metadata.tags.filter((t): t is string => typeof t === "string") : [],
    ...(owner ? { owner } : {}),
  };
}

export function parseTemplateFilters(search: string): TemplateFilters {
  const sp = new URLSearchParams(search);
  return { types: sp.getAll("type"), tags: sp.getAll("tag"), owners: sp.getAll("owner"), q: sp.get("q") ?? "" };
}

export function serializeTemplateFilters(f: TemplateFilters): string {
  const sp = new URLSearchParams();
  for (const t of f.types) sp.append("type", t);
  for (const t of f.tags) sp.append("tag", t);
  for (const o of f.owners) sp.append("owner", o);
  if (f.q.trim()) sp.set("q", f.q.trim());
  return sp.toString();
}

/** Types OR'ed, tags AND'ed (each chosen tag must be on the template, as Backstage's tag picker), owners OR'ed, words AND'ed. */
export function filterTemplates(cards: readonly TemplateCardData[], f: TemplateFilters): TemplateCardData[] {
  const words = f.q.toLowerCase().split(/\s+/).filter(Boolean);
  return cards.filter((c) => {
    if (f.types.length && !f.types.includes(c.type)) return false;
    if (f.tags.length && !f.tags.every((t) => c.tags.includes(t))) return false;
    if (f.owners.length && (!c.owner || !f.owners.includes(c.owner))) return false;
    if (words.length) {
      const hay = `${c.title} ${c.name} ${c.description} ${c.tags.join(" ")} ${c.type}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) return false;
    }
    return true;
  });
}

/** Values with counts for a filter group, over all cards, most used first then by name. */
export function facetCounts(cards: readonly TemplateCardData[], pick: (c: TemplateCardData) => readonly string[]): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const c of cards) for (const v of new Set(pick(c))) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

export function toggle(list: readonly string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
