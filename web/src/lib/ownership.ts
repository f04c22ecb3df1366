/**
 * The signed-in person's ownership claims (session.ownershipRefs: their user ref, their groups and those
 * groups' parents) turned into what the home page shows: the groups, the catalog filter for what they own,
 * and one change feed merged from the per-owner feeds (GET /api/catalog/changes filters by one owner).
 */
import { buildFilterString } from "../api/params";
import type { ChangeItem } from "../../../contract/catalog-api";

/** The group refs among the claims, in the order the session lists them. */
export function groupRefs(ownershipRefs: readonly string[]): string[] {
  return ownershipRefs.filter((r) => r.toLowerCase().startsWith("group:"));
}

/** The by-query filter for entities any claim owns; null without claims (nothing can match). */
export function ownedFilter(ownershipRefs: readonly string[]): string | null {
  const claims = ownershipRefs.filter((r) => r && !r.includes(","));
  return claims.length ? buildFilterString({ "relations.ownedBy": claims }) : null;
}

/** Newest first, each change once (an entity owned by two claims appears in both feeds), at most `limit`. */
export function mergeChanges(feeds: readonly (readonly ChangeItem[])[], limit: number): ChangeItem[] {
  const seen = new Set<string>();
  const all: ChangeItem[] = [];
  for (const feed of feeds) {
    for (const c of feed) {
      const key = String(c.id);
      if (seen.has(key)) continue;
      seen.add(key);
      all.push(c);
    }
  }
  const time = (c: ChangeItem) => Date.parse(c.createdAt) || 0;
  all.sort((a, b) => time(b) - time(a) || Number(b.id) - Number(a.id));
  return all.slice(0, limit);
}
