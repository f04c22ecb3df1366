/** TechDocs link and image rewriting: relative, absolute, anchors, ../, outside the docs folder refused. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../../plugins/techdocs/render/markdown";
import { rewriteImage, rewriteLink } from "../../../../plugins/techdocs/render/links";

const entity = { kind: "component", namespace: "default", name: "svc" };
const ctx = { entity, mdPath: "guides/setup.md" };
const base = "/docs/default/component/svc";

describe("techdocs links", () => {
  it.each([
    ["other.md", `${base}/guides/other`],
    ["other.md#part", `${base}/guides/other#part`],
    ["./deep/inner.md", `${base}/guides/deep/inner`],
    ["../index.md", `${base}/`],
    ["../README.md", `${base}/`],
    ["index.md", `${base}/guides`],
    ["../api/", `${base}/api`],
    ["../api", `${base}/api`],
    ["sp%20ace.md", `${base}/guides/sp%20ace`],
  ])("rewrites the relative page link %s to the reader route", (href, expected) => {
    expect(rewriteLink(ctx, href)).toEqual({ kind: "page", href: expected });
  });

  it("keeps anchors and external links, serves other files through the worker", () => {
    expect(rewriteLink(ctx, "#top")).toEqual({ kind: "anchor", href: "#top" });
    expect(rewriteLink(ctx, "https://example.com/a.md")).toEqual({ kind: "external", href: "https://example.com/a.md" });
    expect(rewriteLink(ctx, "mailto:team@example.com")).toEqual({ kind: "external", href: "mailto:team@example.com" });
    expect(rewriteLink(ctx, "files/spec.pdf")).toEqual({
      kind: "asset",
      path: "guides/files/spec.pdf",
      href: "/api/plugins/techdocs/assets/default/component/svc?path=guides%2Ffiles%2Fspec.pdf",
    });
  });

  it.each(["../../secret.md", "../../../etc/passwd", "/etc/passwd", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>", "vbscript:x", "file:///etc/passwd"])(
    "refuses %s",
    (href) => {
      expect(rewriteLink(ctx, href).kind).toBe("refused");
    },
  );

  it("serves relative images through the worker and refuses ones outside the docs folder", () => {
    expect(rewriteImage(ctx, "img/a.png")).toEqual({ kind: "asset", path: "guides/img/a.png", href: "/api/plugins/techdocs/assets/default/component/svc?path=guides%2Fimg%2Fa.png" });
    expect(rewriteImage(ctx, "../shared/logo.png")).toMatchObject({ kind: "asset", path: "shared/logo.png" });
    expect(rewriteImage(ctx, "https://cdn.example.com/x.png")).toEqual({ kind: "external", href: "https://cdn.example.com/x.png" });
    for (const bad of ["../../x.png", "/abs.png", "data:image/png;base64,AAAA", "javascript:alert(1)", ""]) expect(rewriteImage(ctx, bad).kind).toBe("refused");
  });

  it("rewrites links in rendered pages, raw HTML included, and lists the assets a page uses", () => {
    const page = renderMarkdown('[a](other.md) <a href="../index.md">b</a> ![i](img/a.png) <img src="img/b.png"> ![o](../../o.png) [x](../../x.md)', ctx);
    expect(page.html).toContain(`<a href="${base}/guides/other">a</a>`);
    expect(page.html).toContain(`<a href="${base}/">b</a>`);
    expect(page.html).toContain('src="/api/plugins/techdocs/assets/default/component/svc?path=guides%2Fimg%2Fa.png"');
    expect(page.html).toContain('src="/api/plugins/techdocs/assets/default/component/svc?path=guides%2Fimg%2Fb.png"');
    expect(page.html).toContain('<span class="broken-image" title="images outside the docs folder are not served">o</span>');
    expect(page.html).toContain('<span class="broken-link" title="links outside the docs folder are not served">x</span>');
    expect(page.assets.sort()).toEqual(["guides/img/a.png", "guides/img/b.png"]);
  });

  it("never produces a link or image outside the reader, the asset route or http(s)/mailto (property)", () => {
    const segment = fc.constantFrom("..", ".", "a", "b.md", "c.png", "", "%2e%2e", "%2F", "x y", "#h", "?q");
    const href = fc.oneof(
      fc.array(segment, { maxLength: 6 }).map((s) => s.join("/")),
      fc.string({ maxLength: 30 }),
      fc.constantFrom("javascript:", "data:", "//evil.example/", "\u0000javascript:x", " javascript:x"),
    );
    fc.assert(
      fc.property(href, (h) => {
        for (const t of [rewriteLink(ctx, h), rewriteImage(ctx, h)]) {
          if (t.kind === "refused") continue;
          const ok = t.href.startsWith(`${base}/`) || t.href.startsWith("/api/plugins/techdocs/assets/default/component/svc?path=") || /^(https?:|mailto:|#)/i.test(t.href);
          if (!ok) return false;
          if (t.kind === "asset" && (t.path.split("/").includes("..") || t.path.startsWith("/"))) return false;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
