import { describe, expect, it } from "vitest";
import {
  defaultFilterState,
  facetRequests,
  hasActiveFilters,
  nextSort,
  parseFilterState,
  serializeFilterState,
  toApiFilters,
  toggleFacetValue,
} from "../../web/src/lib/filter-state";

describe("filter state ⇄ URL", () => {
  it("parses repeated and comma-separated values", () => {
    const s = parseFilterState("?kind=component&type=service&type=website&tag=java,go&owner=team-a&q=%20pay%20&sort=owner&order=desc&starred=1");
    expect(s.selected.kind).toEqual(["component"]);
    expect(s.selected.type).toEqual(["service", "website"]);
    expect(s.selected.tags).toEqual(["java", "go"]);
    expect(s.selected.owner).toEqual(["team-a"]);
    expect(s).toMatchObject({ q: "pay", sort: "owner", order: "desc", starred: true });
  });

  it("ignores unknown sort keys and de-duplicates values case-insensitively", () => {
    const s = parseFilterState("kind=API&kind=api&sort=bogus&order=sideways");
    expect(s.selected.kind).toEqual(["API"]);
    expect(s.sort).toBe("name");
    expect(s.order).toBe("asc");
  });

  it("serialises canonically and leaves defaults out", () => {
    expect(serializeFilterState(defaultFilterState())).toBe("");
    const s = parseFilterState("tag=java&kind=component&order=desc");
    expect(serializeFilterState(s)).toBe("kind=component&tag=java&order=desc");
  });

  it("round-trips", () => {
    const qs = "kind=component&kind=api&type=service&owner=group%3Adefault%2Fteam-a&lifecycle=production&tag=java&namespace=ops&system=audio&q=x&sort=type&order=desc&starred=1";
    expect(serializeFilterState(parseFilterState(qs))).toBe(qs);
  });

  it("toggles values and flips sort order", () => {
    let s = toggleFacetValue(defaultFilterState(), "type", "service");
    expect(s.selected.type).toEqual(["service"]);
    s = toggleFacetValue(s, "type", "SERVICE");
    expect(s.selected.type).toEqual([]);
    expect(hasActiveFilters(s)).toBe(false);
    expect(nextSort(s, "name").order).toBe("desc");
    expect(nextSort(s, "owner")).toMatchObject({ sort: "owner", order: "asc" });
  });

  it("writes kinds and namespaces lower-case, other values as the facet spells them", () => {
    let s = toggleFacetValue(defaultFilterState(), "kind", "Component");
    s = toggleFacetValue(s, "tags", "Java");
    expect(serializeFilterState(s)).toBe("kind=component&tag=Java");
    expect(toggleFacetValue(s, "kind", "COMPONENT").selected.kind).toEqual([]);
  });
});

describe("toApiFilters", () => {
  it("turns selections into one filter string", () => {
    const s = parseFilterState("kind=component&type=service&type=website&tag=java");
    expect(toApiFilters(s)).toEqual(["kind=component,spec.type=service,spec.type=website,metadata.tags=java"]);
  });

  it("sends no filter for the whole catalog", () => {
    expect(toApiFilters(defaultFilterState())).toEqual([]);
  });

  it("leaves out the excluded facet (for its own counts)", () => {
    const s = parseFilterState("kind=component&type=service");
    expect(toApiFilters(s, { exclude: "type" })).toEqual(["kind=component"]);
  });

  it("turns starred entities into one ORed filter per entity", () => {
    const s = parseFilterState("starred=1&lifecycle=production");
    expect(toApiFilters(s, { starredRefs: ["component:default/a", "api:ops/b"] })).toEqual([
      "spec.lifecycle=production,kind=component,metadata.namespace=default,metadata.name=a",
      "spec.lifecycle=production,kind=api,metadata.namespace=ops,metadata.name=b",
    ]);
  });

  it("drops starred entities outside the selected kinds instead of widening the match", () => {
    const s = parseFilterState("starred=1&kind=component");
    expect(toApiFilters(s, { starredRefs: ["component:default/a", "api:default/b"] })).toEqual(["kind=component,metadata.namespace=default,metadata.name=a"]);
  });

  it("returns null when nothing can match", () => {
    expect(toApiFilters(parseFilterState("starred=1"), { starredRefs: [] })).toBeNull();
    expect(toApiFilters(parseFilterState("starred=1&kind=user"), { starredRefs: ["component:default/a"] })).toBeNull();
  });
});

describe("facetRequests", () => {
  it("shares one request between facets without a selection", () => {
    expect(facetRequests(defaultFilterState())).toEqual([
      { facets: ["kind", "spec.type", "spec.owner", "spec.lifecycle", "metadata.tags", "metadata.namespace", "spec.system"], filter: [] },
    ]);
  });

  it("gives each selected facet counts that ignore its own selection", () => {
    const reqs = facetRequests(parseFilterState("kind=component&tag=java"));
    expect(reqs).toEqual([
      { facets: ["kind"], filter: ["metadata.tags=java"] },
      { facets: ["spec.type", "spec.owner", "spec.lifecycle", "metadata.namespace", "spec.system"], filter: ["kind=component,metadata.tags=java"] },
      { facets: ["metadata.tags"], filter: ["kind=component"] },
    ]);
  });
});

describe("owned by me or my groups", () => {
  const claims = ["user:default/maya.chen", "group:default/team-storefront"];

  it("round-trips through the URL as owned=mine and counts as a filter", () => {
    const s = parseFilterState("?kind=component&owned=mine");
    expect(s.mine).toBe(true);
    expect(serializeFilterState(s)).toBe("kind=component&owned=mine");
    expect(hasActiveFilters(parseFilterState("owned=mine"))).toBe(true);
    expect(parseFilterState("owned=yours").mine).toBe(false);
  });

  it("ANDs the ownership claims, ORed among themselves, with the other selections", () => {
    const s = parseFilterState("kind=component&owned=mine");
    expect(toApiFilters(s, { ownershipRefs: claims })).toEqual(["kind=component,relations.ownedBy=user:default/maya.chen,relations.ownedBy=group:default/team-storefront"]);
    expect(facetRequests(s, [], claims).every((r) => r.filter.every((f) => f.includes("relations.ownedBy=group:default/team-storefront")))).toBe(true);
  });

  it("matches nothing without claims instead of everything", () => {
    expect(toApiFilters(parseFilterState("owned=mine"), {})).toBeNull();
    expect(toApiFilters(parseFilterState("kind=api"), {})).toEqual(["kind=api"]);
  });
});
