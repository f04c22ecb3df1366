/** /search's "No results": only when neither the catalog nor the plugin documents found anything for the text. */
import { describe, expect, it } from "vitest";
import { showNoResults, type SearchEmptyInput } from "../../web/src/lib/search-empty";

const base: SearchEmptyInput = { searched: "zorblax", catalogCount: 0, loading: false, failed: false, docsSearched: true, docs: { q: "zorblax", count: 0 } };

describe("search empty state", () => {
  it("shows when neither the catalog nor the documents match", () => {
    expect(showNoResults(base)).toBe(true);
  });

  it("does not show when only documents match (docs-only hits are results)", () => {
    expect(showNoResults({ ...base, docs: { q: "zorblax", count: 3 } })).toBe(false);
  });

  it("waits for the documents' answer for the same text before saying nothing matched", () => {
    expect(showNoResults({ ...base, docs: null })).toBe(false);
    expect(showNoResults({ ...base, docs: { q: "zorbla", count: 0 } })).toBe(false);
    expect(showNoResults({ ...base, docs: { q: " zorblax ", count: 0 } })).toBe(true);
  });

  it("does not show while the catalog has results, is loading or failed, or before a search", () => {
    expect(showNoResults({ ...base, catalogCount: 1 })).toBe(false);
    expect(showNoResults({ ...base, loading: true })).toBe(false);
    expect(showNoResults({ ...base, failed: true })).toBe(false);
    expect(showNoResults({ ...base, searched: "" })).toBe(false);
  });

  it("with a kind filter (documents not searched), follows the catalog alone", () => {
    expect(showNoResults({ ...base, docsSearched: false, docs: null })).toBe(true);
    expect(showNoResults({ ...base, docsSearched: false, docs: { q: "zorblax", count: 5 } })).toBe(true);
  });
});
