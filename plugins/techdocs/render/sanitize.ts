/**
 * The one sanitizer every rendered page goes through (sanitize-html, an allow-list: anything not named here is
 * dropped). Docs are written by anyone who can push to a repository, and the reader shows them inside the
 * portal's origin, so a page must not be able to run script, submit forms, load frames or style the portal:
 * no script/style/iframe/object/embed/form/input/svg/math elements, no event handler or style attributes, and
 * URLs only http(s), mailto, fragments and relative paths (no javascript:, data:, vbscript: or file:). Classes
 * are limited to the ones the renderer emits. Ids are kept (heading anchors) but only in a plain form.
 */
import sanitizeHtml from "sanitize-html";
import type { LinkTarget } from "./links";

/** How the page's links and images are rewritten (links.ts); without it URLs are only scheme-checked. */
export interface UrlRewriter {
  link(href: string): LinkTarget;
  image(src: string): LinkTarget;
  onAsset?(path: string): void;
}

const CLASSES = [
  "admonition", "admonition-title", "admonition-body", "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
  "success", "check", "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing",
  "danger", "error", "bug", "example", "quote", "cite", "tabbed-set", "tabbed-block", "tabbed-label", "code", "highlighted",
  "language-*", "t-*", "heading-anchor", "task", "task-done", "task-list-item", "broken-link", "broken-image", "external",
];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "kbd", "samp", "var",
    "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr", "q", "cite", "dfn", "time",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "span", "div", "details", "summary",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
  ],
  disallowedTagsMode: "discard",
  allowedAttributes: {
    "*": ["id", "class", "title", "lang", "dir"],
    a: ["href", "rel", "aria-hidden"],
    img: ["src", "alt", "width", "height", "loading"],
    ol: ["start", "reversed"],
    th: ["align", "colspan", "rowspan", "scope"],
    td: ["align", "colspan", "rowspan"],
    details: ["open"],
    abbr: ["title"],
    time: ["datetime"],
    col: ["span"],
    colgroup: ["span"],
  },
  allowedClasses: { "*": CLASSES },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: false,
  // Text inside dropped elements (a <script>'s code, a <style>'s CSS) goes with them, not into the page.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "template", "svg", "math", "object", "embed", "xmp", "noembed", "noframes", "title", "select"],
  enforceHtmlBoundary: false,
  parseStyleAttributes: false,
  transformTags: {
    a: (tagName, attribs) => {
      const out: Record<string, string> = { ...attribs };
      // External links leave without the opener or the referrer; in-portal links are unchanged.
      if (out.href && /^(https?:)?\/\//i.test(out.href)) out.rel = "noopener noreferrer nofollow";
      else delete out.rel;
      return { tagName, attribs: out };
    },
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: "lazy" } }),
  },
  exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
};

/** Ids that could clobber globals or the portal's own ids are dropped; headings get plain slugs anyway. */
const SAFE_ID = /^[a-z0-9][a-z0-9_-]{0,127}$/i;

const escapeAttr = (s: string) => s.replace(/[<>"&]/g, "");

function plainId(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  if (attribs.id !== undefined && !SAFE_ID.test(attribs.id)) {
    const { id: _dropped, ...rest } = attribs;
    return { tagName, attribs: rest };
  }
  return { tagName, attribs };
}

export function sanitize(html: string, rewrite?: UrlRewriter): string {
  const base = OPTIONS.transformTags!;
  const transformTags: sanitizeHtml.IOptions["transformTags"] = {
    "*": plainId,
    a: (tagName, attribs) => {
      if (!rewrite || attribs.href === undefined) return plainId(...asTag((base.a as sanitizeHtml.Transformer)(tagName, attribs)));
      const target = rewrite.link(attribs.href);
      if (target.kind === "refused") return { tagName: "span", attribs: { class: "broken-link", title: escapeAttr(target.reason) } };
      if (target.kind === "asset") rewrite.onAsset?.(target.path);
      return plainId(...asTag((base.a as sanitizeHtml.Transformer)(tagName, { ...attribs, href: target.href })));
    },
    img: (tagName, attribs) => {
      const src = attribs.src ?? "";
      const target = rewrite ? rewrite.image(src) : ({ kind: "external", href: src } as LinkTarget);
      if (target.kind === "refused") return { tagName: "span", attribs: { class: "broken-image", title: escapeAttr(`${attribs.alt ? `${attribs.alt}: ` : ""}${target.reason}`) } };
      if (target.kind === "asset") rewrite?.onAsset?.(target.path);
      return plainId(...asTag((base.img as sanitizeHtml.Transformer)(tagName, { ...attribs, src: "href" in target ? target.href : "" })));
    },
  };
  return sanitizeHtml(html, { ...OPTIONS, transformTags });
}

const asTag = (t: sanitizeHtml.Tag): [string, sanitizeHtml.Attributes] => [t.tagName, t.attribs];
