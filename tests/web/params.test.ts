import { describe, expect, it } from "vitest";
import { buildFilterString, buildQuery, byNamePath, entityQueryParams, entityQueryPath, facetsPath, withQuery } from "../../web/src/api/params";

describe("buildQuery", () => {
  it("repeats array keys and drops empty values", () => {
    expect(buildQuery({ facet: ["kind", "spec.type"], limit: 20, q: "", x: undefined, y: null, z: false })).toBe("facet=kind&facet=spec.type&limit=20");
  });

  it("encodes values", () => {
    expect(buildQuery({ filter: ["kind=component,spec.type=service"] })).toBe("filter=kind%3Dcomponent%2Cspec.type%3Dservice");
  });

  it("leaves the path alone without parameters", () => {
    expect(withQuery("/api/x", {})).toBe("/api/x");
  });
});

describe("buildFilterString", () => {
  it("ANDs keys and repeats a key to OR its values", () => {
    expect(buildFilterString({ kind: ["component"], "spec.type": ["service", "website"] })).toBe("kind=component,spec.type=service,spec.type=website");
  });

  it("writes existence checks as a bare key", () => {
    expect(buildFilterString({ "metadata.annotations.backstage.io/techdocs-ref": true, kind: ["api"] })).toBe("metadata.annotations.backstage.io/techdocs-ref,kind=api");
  });

  it("drops values that would split the statement", () => {
    expect(buildFilterString({ "metadata.name": ["a,b", " ok "], kind: [] })).toBe("metadata.name=ok");
  });
});

describe("entityQueryParams", () => {
  it("sends filters, order, fields and full text on the first page", () => {
    const qs = new URLSearchParams(
      entityQueryPath({
        filter: ["kind=component", "kind=api"],
        fields: ["kind", "metadata.name"],
        orderField: ["metadata.name", "desc"],
        fullTextFilterTerm: "  pay ",
        fullTextFilterFields: ["metadata.name", "metadata.title"],
        limit: 50,
      }).split("?")[1],
    );
    expect(qs.getAll("filter")).toEqual(["kind=component", "kind=api"]);
    expect(qs.get("fields")).toBe("kind,metadata.name");
    expect(qs.get("orderField")).toBe("metadata.name,desc");
    expect(qs.get("fullTextFilterTerm")).toBe("pay");
    expect(qs.get("fullTextFilterFields")).toBe("metadata.name,metadata.title");
    expect(qs.get("limit")).toBe("50");
  });

  it("sends only cursor, fields and limit with a cursor (the cursor carries the rest)", () => {
    expect(entityQueryParams({ cursor: "abc", filter: ["kind=api"], orderField: ["kind", "asc"], fullTextFilterTerm: "x", fields: ["kind"], limit: 10 })).toEqual({ cursor: "abc", fields: "kind", limit: 10 });
  });

  it("leaves out full-text fields when there is no term", () => {
    const p = entityQueryParams({ fullTextFilterTerm: "  ", fullTextFilterFields: ["metadata.name"] });
    expect(p.fullTextFilterTerm).toBeUndefined();
    expect(p.fullTextFilterFields).toBeUndefined();
  });

  it("skips empty filter strings", () => {
    expect(entityQueryParams({ filter: ["", "kind=api"] }).filter).toEqual(["kind=api"]);
  });
});

describe("paths", () => {
  it("builds facet queries", () => {
    expect(facetsPath(["kind", "spec.type"], ["kind=component"])).toBe("/api/catalog/entity-facets?facet=kind&facet=spec.type&filter=kind%3Dcomponent");
  });

  it("encodes by-name segments", () => {
    expect(byNamePath("Component", "default", "a b")).toBe("/api/catalog/entities/by-name/Component/default/a%20b");
  });
});
