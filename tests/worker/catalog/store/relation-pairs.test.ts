/**
 * relationPairs: the pairs relation_pairs stores (migration 0015) must give back exactly the halves an
 * entity emitted (the `relations` view expands each pair into its two halves), whatever the relations.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { relationPairs } from "../../../../worker/catalog/store/relation-pairs";
import { buildRelations } from "../../../../worker/catalog/relations";
import type { Entity, RelationRow } from "../../../../worker/catalog/types";

const key = (h: RelationRow) => `${h.sourceRef} ${h.type} ${h.targetRef}`;
const halvesOf = (pairs: [string, string, string, string][]) =>
  new Set(pairs.flatMap(([origin, type, other, reverse]) => [`${origin} ${type} ${other}`, `${other} ${reverse} ${origin}`]));

const ref = fc.constantFrom("component:default/a", "component:default/b", "group:org/team", "api:payments/x", "user:default/u");
const FIELDS = {
  Component: ["owner", "system", "subcomponentOf", "providesApis", "consumesApis", "dependsOn", "dependencyOf"],
  Group: ["parent", "children", "members"],
  User: ["memberOf"],
} as const;

describe("relationPairs", () => {
  it("stores what buildRelations emits, each pair once, and the view gives every half back", () => {
    let withRelations = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(FIELDS) as (keyof typeof FIELDS)[])),
        fc.constantFrom("component:default/a", "group:org/team", "user:default/u"),
        fc.dictionary(fc.constantFrom("owner", "system", "subcomponentOf", "providesApis", "consumesApis", "dependsOn", "dependencyOf", "parent", "children", "members", "memberOf"), fc.array(ref, { minLength: 1, maxLength: 3 })),
        (kind, self, refs) => {
          const [, ns, name] = /^[^:]+:([^/]+)\/(.+)$/.exec(self)!;
          const spec: Record<string, unknown> = { type: "t", lifecycle: "production", owner: "group:org/team", profile: {} };
          for (const [field, targets] of Object.entries(refs)) if ((FIELDS[kind] as readonly string[]).includes(field)) spec[field] = ["owner", "system", "subcomponentOf", "parent"].includes(field) ? targets[0] : targets;
          const entity = { apiVersion: "backstage.io/v1alpha1", kind, metadata: { name, namespace: ns }, spec } as unknown as Entity;
          const origin = `${kind.toLowerCase()}:${ns}/${name}`;
          const halves = buildRelations(entity);
          if (halves.length) withRelations++;
          const pairs = relationPairs(origin, halves);
          expect(pairs.every(([o]) => o === origin)).toBe(true);
          expect(halvesOf(pairs)).toEqual(new Set(halves.map(key)));
          expect(pairs.length).toBeLessThanOrEqual(halves.length);
        },
      ),
      { numRuns: 300 },
    );
    expect(withRelations).toBeGreaterThan(100);
  });

  it("loses no half of types the kinds do not know, emitted from either end", () => {
    const half = fc.record({ out: fc.boolean(), type: fc.constantFrom("ownedBy", "custom", "weird", "hasPart"), other: ref });
    fc.assert(
      fc.property(fc.array(half, { maxLength: 8 }), (list) => {
        const origin = "component:default/o";
        const halves: RelationRow[] = list.map((h) => (h.out ? { sourceRef: origin, type: h.type, targetRef: h.other } : { sourceRef: h.other, type: h.type, targetRef: origin }));
        const back = halvesOf(relationPairs(origin, halves));
        for (const h of halves) expect(back.has(key(h))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
