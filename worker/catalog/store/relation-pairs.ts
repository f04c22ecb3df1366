/**
 * Relations as relation_pairs stores them (migration 0015): one row per pair, [origin, type, other, reverse
 * type], where origin is the entity that emitted the pair and one of its ends. The `relations` view gives
 * back both halves: origin --type--> other and other --reverse--> origin.
 */
import type { RelationRow } from "../types";
import { KIND_DEFINITIONS } from "../kinds";

/** Each built-in relation type's mirror (ownedBy → ownerOf, ...), from the kinds' ref fields. */
const MIRROR: ReadonlyMap<string, string> = new Map(
  KIND_DEFINITIONS.flatMap((k) => k.refFields.flatMap((f) => [[f.forward, f.reverse], [f.reverse, f.forward]] as [string, string][])),
);

/**
 * The pairs behind the halves `origin` emitted (buildRelations: both halves of each pair, one end always
 * `origin`). A half starting at origin is a pair; its reverse is the mirror of its type or, for a type the
 * kinds do not know, the type of the emitted half going back. A half ending at origin is the back half of
 * one of those and adds nothing, unless nothing pairs with it (then it is stored from the other end's view).
 */
export function relationPairs(origin: string, halves: readonly RelationRow[]): [string, string, string, string][] {
  const pairs = new Map<string, [string, string, string, string]>();
  const add = (p: [string, string, string, string]) => pairs.set(p.join("\n"), p);
  const covered = new Set<string>();
  for (const h of halves) {
    if (h.sourceRef !== origin) continue;
    const back = halves.find((b) => b.sourceRef === h.targetRef && b.targetRef === origin && b.type === MIRROR.get(h.type))
      ?? halves.find((b) => b.sourceRef === h.targetRef && b.targetRef === origin && !MIRROR.has(h.type));
    const reverse = back?.type ?? MIRROR.get(h.type) ?? h.type;
    add([origin, h.type, h.targetRef, reverse]);
    covered.add(`${h.targetRef}\n${reverse}\n${origin}`);
  }
  for (const h of halves) {
    if (h.sourceRef === origin || covered.has(`${h.sourceRef}\n${h.type}\n${h.targetRef}`)) continue;
    // Not emitted by the built-in kinds; kept so no half is lost. Its back half is implied as its mirror.
    add([h.targetRef, MIRROR.get(h.type) ?? h.type, h.sourceRef, h.type]);
  }
  return [...pairs.values()];
}
