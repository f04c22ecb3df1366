/** TechDocs' snippet rendering: only <mark> survives as markup, the server's escapes stay text. */
import { describe, expect, it } from "vitest";
import { readerHref, snippetHtml } from "../../plugins/techdocs/web/types";

describe("techdocs snippets", () => {
  it("keeps <mark> and nothing else", () => {
    expect(snippetHtml("a <mark>zorblax</mark> b")).toBe("a <mark>zorblax</mark> b");
    expect(snippetHtml('<img src=x onerror="alert(1)"><mark>x</mark>')).toBe("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<mark>x</mark>");
    expect(snippetHtml("<mark onclick=x>y</mark>")).toBe("&lt;mark onclick=x&gt;y</mark>");
  });

  it("leaves the server's own entities as entities", () => {
    expect(snippetHtml("&#60;script&#62; &amp; <mark>t</mark>")).toBe("&#60;script&#62; &amp; <mark>t</mark>");
  });

  it("builds reader links with encoded segments", () => {
    expect(readerHref({ namespace: "default", kind: "component", name: "a b" }, "guides/set up")).toBe("/docs/default/component/a%20b/guides/set%20up");
    expect(readerHref({ namespace: "default", kind: "component", name: "x" })).toBe("/docs/default/component/x/");
  });
});
