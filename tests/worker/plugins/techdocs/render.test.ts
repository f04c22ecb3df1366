/** TechDocs rendering: Markdown features, heading anchors, TOC, search sections, highlighting (in workerd). */
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../../plugins/techdocs/render/markdown";
import { highlightCss } from "../../../../plugins/techdocs/render/highlight";

const entity = { kind: "component", namespace: "default", name: "svc" };
const render = (md: string, mdPath = "index.md") => renderMarkdown(md, { entity, mdPath });

describe("techdocs markdown", () => {
  it("renders GFM tables and task lists (as spans, no inputs)", () => {
    const { html } = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n");
    expect(html).toContain("<table>");
    expect(html).toContain('<th align="left">a</th>');
    expect(html).toContain('<span class="task task-done">☑</span> done');
    expect(html).toContain('<span class="task">☐</span> todo');
    expect(html).not.toContain("<input");
  });

  it("renders admonitions, collapsible ones as details", () => {
    const { html } = render('!!! warning "Mind the gap"\n    Body **bold**\n\n    Second paragraph\n\n??? tip\n    Hidden\n\n???+ note "Open"\n    Shown\n\nAfter\n');
    expect(html).toContain('<div class="admonition warning"><p class="admonition-title">Mind the gap</p><p>Body <strong>bold</strong></p>');
    expect(html).toContain("<p>Second paragraph</p>");
    expect(html).toContain('<details class="admonition tip"><summary>Tip</summary><p>Hidden</p>');
    expect(html).toContain('<details class="admonition note" open><summary>Open</summary>');
    expect(html).toMatch(/<\/details>\n<p>After<\/p>/);
  });

  it("renders content tabs as labelled blocks of one set", () => {
    const { html } = render('=== "Python"\n    ```python\n    print(1)\n    ```\n\n=== "Shell"\n    Run it\n');
    expect(html.match(/class="tabbed-set"/g)).toHaveLength(1);
    expect(html).toContain('<p class="tabbed-label">Python</p>');
    expect(html).toContain('<p class="tabbed-label">Shell</p>');
  });

  it("highlights code with theme classes, never inline styles", () => {
    const { html } = render("```ts\nconst x: number = 1;\n```\n\n```nosuchlang\n<b>raw</b>\n```\n");
    expect(html).toContain('<pre class="code highlighted language-ts">');
    expect(html).toMatch(/<span class="t-l-[0-9a-f]+ t-d-[0-9a-f]+">const<\/span>/);
    expect(html).not.toContain("style=");
    expect(html).toContain("&lt;b&gt;raw&lt;/b&gt;");
    const css = highlightCss();
    const used = [...html.matchAll(/t-l-([0-9a-f]+)/g)].map((m) => m[1]);
    for (const c of used) expect(css).toContain(`.t-l-${c}{color:#${c}}`);
    expect(css).toContain('[data-theme="dark"]');
  });

  it("gives headings ids and anchors, builds a TOC and heading-level search sections", () => {
    const page = render("# Title\n\nIntro text.\n\n## Getting started\n\nInstall it.\n\n### Deep dive\n\nDetails here.\n\n## Getting started\n\nAgain.\n");
    expect(page.title).toBe("Title");
    expect(page.html).toContain('<h2 id="getting-started"><a class="heading-anchor" href="#getting-started" aria-hidden="true">#</a>Getting started</h2>');
    expect(page.toc).toEqual([
      { id: "getting-started", text: "Getting started", level: 2 },
      { id: "deep-dive", text: "Deep dive", level: 3 },
      { id: "getting-started-1", text: "Getting started", level: 2 },
    ]);
    expect(page.sections).toEqual([
      { id: "title", heading: "Title", text: "Intro text." },
      { id: "getting-started", heading: "Getting started", text: "Install it." },
      { id: "deep-dive", heading: "Deep dive", text: "Details here." },
      { id: "getting-started-1", heading: "Getting started", text: "Again." },
    ]);
  });

  it("starts heading ids afresh on every page", () => {
    render("## Same\n");
    expect(render("## Same\n").toc[0]!.id).toBe("same");
  });

  it("drops YAML front matter", () => {
    const { html } = render("---\ntitle: x\n---\n# Hello\n");
    expect(html).not.toContain("title: x");
    expect(html).toContain("Hello</h1>");
  });
});
