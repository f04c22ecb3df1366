import { describe, expect, it } from "vitest";
import { displayName, entityPath, humanizeRef, parseEntityRef, resolveRef, stringifyEntityRef, tryParseEntityRef } from "../../web/src/lib/entity-ref";
import { highlightOr, highlightRef, safeHighlight } from "../../web/src/lib/highlight";
import { commitUrl, isSafeUrl, locationUrl } from "../../web/src/lib/links";
import { groupRelations, relationLabel } from "../../web/src/lib/relations";
import { parseStarred as parseStarredList } from "../../web/src/lib/stars";

describe("entity refs", () => {
  it("parses full and partial refs", () => {
    expect(parseEntityRef("component:default/petstore")).toEqual({ kind: "component", namespace: "default", name: "petstore" });
    expect(parseEntityRef("team-a", { defaultKind: "group" })).toEqual({ kind: "group", namespace: "default", name: "team-a" });
    expect(parseEntityRef("ops/team-a", { defaultKind: "group" })).toEqual({ kind: "group", namespace: "ops", name: "team-a" });
    expect(parseEntityRef("user:jane", { defaultNamespace: "ops" })).toEqual({ kind: "user", namespace: "ops", name: "jane" });
    expect(() => parseEntityRef("petstore")).toThrow(/missing or empty kind/);
    expect(tryParseEntityRef(42)).toBeUndefined();
  });

  it("stringifies lower-cased and builds entity paths", () => {
    expect(stringifyEntityRef({ kind: "Component", namespace: "Default", name: "PetStore" })).toBe("component:default/petstore");
    expect(entityPath("Component:default/pet store")).toBe("/catalog/default/component/pet%20store");
    expect(resolveRef("team-a", "group", "ops")).toBe("group:ops/team-a");
    expect(resolveRef(undefined, "group")).toBeUndefined();
    expect(humanizeRef("group:default/team-a")).toBe("team-a");
    expect(humanizeRef("group:ops/team-a", { withKind: true })).toBe("group:ops/team-a");
  });

  it("picks title, then profile display name, then name", () => {
    expect(displayName({ metadata: { name: "a", title: "A" } })).toBe("A");
    expect(displayName({ metadata: { name: "jane" }, spec: { profile: { displayName: "Jane Doe" } } })).toBe("Jane Doe");
    expect(displayName({ metadata: { name: "b" } })).toBe("b");
  });
});

describe("highlights", () => {
  it("keeps <mark> and escapes anything else", () => {
    expect(safeHighlight("pay<mark>ments</mark> &amp; <script>x</script>")).toBe("pay<mark>ments</mark> &amp; &lt;script&gt;x&lt;/script&gt;");
    expect(safeHighlight('<mark onclick="x">a</mark>')).toBe('&lt;mark onclick=&quot;x&quot;&gt;a</mark>');
  });

  it("falls back to escaped plain text and highlights the name part of a ref", () => {
    expect(highlightOr(undefined, "a <b>")).toBe("a &lt;b&gt;");
    expect(highlightOr("<mark>a</mark>", "a")).toBe("<mark>a</mark>");
    expect(highlightRef({ ref: "component:default/pay", kind: "Component", namespace: "default", highlights: { name: "<mark>pay</mark>" } })).toBe("component:default/<mark>pay</mark>");
    expect(highlightRef({ ref: "component:default/pay", kind: "Component", namespace: "default", highlights: {} })).toBe("component:default/pay");
  });
});

describe("links and relations", () => {
  it("derives URLs from locations", () => {
    expect(locationUrl("url:https://github.com/o/r/blob/main/x.yaml")).toBe("https://github.com/o/r/blob/main/x.yaml");
    expect(locationUrl("file:/tmp/x")).toBeUndefined();
    expect(commitUrl("url:https://github.com/o/r/blob/main/x.yaml", "abc")).toBe("https://github.com/o/r/commit/abc");
    expect(commitUrl(null, "abc", "o/r")).toBe("https://github.com/o/r/commit/abc");
    expect(commitUrl("url:https://github.com/o/r/blob/main/x.yaml", null)).toBeUndefined();
    expect(isSafeUrl("javascript:alert(1)")).toBe(false);
    expect(isSafeUrl("https://x")).toBe(true);
  });

  it("groups relations by type in reading order", () => {
    expect(
      groupRelations([
        { type: "dependsOn", targetRef: "resource:default/db" },
        { type: "ownedBy", targetRef: "group:default/a" },
        { type: "dependsOn", targetRef: "Resource:default/DB" },
        { type: "zCustomThing", targetRef: "x:y/z" },
      ]),
    ).toEqual([
      ["ownedBy", ["group:default/a"]],
      ["dependsOn", ["resource:default/db"]],
      ["zCustomThing", ["x:y/z"]],
    ]);
    expect(relationLabel("apiProvidedBy")).toBe("Provided by");
    expect(relationLabel("zCustomThing")).toBe("Z custom thing");
  });
});

describe("starred list parsing", () => {
  it("accepts only string arrays", () => {
    expect(parseStarredList('["Component:default/A","component:default/a",3]')).toEqual(["component:default/a"]);
    expect(parseStarredList("{")).toEqual([]);
    expect(parseStarredList(null)).toEqual([]);
  });
});

describe("highlightTerms", () => {
  it("marks every query word in the full text, escaping the rest", async () => {
    const { highlightTerms } = await import("../../web/src/lib/highlight");
    expect(highlightTerms("Pay <fast> and pay later", "pay later")).toBe("<mark>Pay</mark> &lt;fast&gt; and <mark>pay</mark> <mark>later</mark>");
    expect(highlightTerms("nothing here", "zzz")).toBeUndefined();
  });
});

describe("formatting without Intl", () => {
  it("formats counts and times", async () => {
    const { formatCount } = await import("../../web/src/lib/format");
    const { relativeTime, exactTime } = await import("../../web/src/lib/time");
    expect(formatCount(0)).toBe("0");
    expect(formatCount(1234567)).toBe("1,234,567");
    const now = Date.parse("2026-01-10T12:00:00Z");
    expect(relativeTime("2026-01-10T11:59:40Z", now)).toBe("just now");
    expect(relativeTime("2026-01-10T11:57:00Z", now)).toBe("3 minutes ago");
    expect(relativeTime("2026-01-10T10:00:00Z", now)).toBe("2 hours ago");
    expect(relativeTime("2026-01-09T12:00:00Z", now)).toBe("yesterday");
    expect(relativeTime("2026-01-01T12:00:00Z", now)).toBe("1 week ago");
    expect(relativeTime("2026-01-10T12:05:00Z", now)).toBe("in 5 minutes");
    expect(relativeTime("nonsense", now)).toBe("nonsense");
    expect(exactTime("2026-01-10T12:00:00Z")).toMatch(/^2026-01-1\d \d\d:\d\d$/);
  });
});
