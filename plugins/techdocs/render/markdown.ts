/**
 * One Markdown page → sanitized HTML, its title, table of contents and heading-level sections for search.
 * marked (CommonMark + GFM: tables, task lists, strikethrough, autolinks) plus what mkdocs-material sites use:
 * admonitions (`!!! note "Title"`, `??? tip` collapsible, `???+` open), content tabs (`=== "Tab"`), heading
 * anchors, highlighted code. The page is sanitized last, and links and images (Markdown and raw HTML alike) are
 * rewritten inside that pass (links.ts decides where each goes), so nothing a renderer emits can bypass either.
 */
import { Marked, type Token, type Tokens, type TokenizerAndRendererExtension } from "marked";
import { gfmHeadingId, getHeadingList, resetHeadings } from "marked-gfm-heading-id";
import type { EntityName } from "../build/paths";
import { highlightCode } from "./highlight";
import { rewriteImage, rewriteLink, type LinkContext } from "./links";
import { sanitize } from "./sanitize";

export interface TocEntry {
  id: string;
  text: string;
  level: number;
}

export interface PageSection {
  /** Heading id (empty for the text before the first heading). */
  id: string;
  heading: string;
  text: string;
}

export interface RenderedPage {
  html: string;
  title: string | null;
  toc: TocEntry[];
  sections: PageSection[];
  /** Docs-relative paths of the images and files the page links to (served through the worker). */
  assets: string[];
}

/** Renderer changes that alter output bump this, so every page is rebuilt once (the page index stores it). */
export const RENDER_VERSION = 1;

const BODY = String.raw`((?:(?:[ ]{4}|\t)[^\n]*(?:\n|$)|[ \t]*\n(?=(?:[ ]{4}|\t)))*)`;
const ADMONITION = new RegExp(String.raw`^(!!!|\?\?\?\+?)[ \t]+([A-Za-z][\w-]*)((?:[ \t]+[A-Za-z][\w-]*)*)(?:[ \t]+"([^"\n]*)")?[ \t]*(?:\n|$)` + BODY);
const TAB = new RegExp(String.raw`^===\+?[ \t]+"([^"\n]*)"[ \t]*(?:\n|$)` + BODY);

const dedent = (body: string) => body.replace(/^(?: {4}|\t)/gm, "").replace(/\n+$/, "\n");
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

interface AdmonitionToken extends Tokens.Generic {
  type: "admonition";
  kind: string;
  title: string;
  collapsible: boolean;
  open: boolean;
  tokens: Token[];
}

interface TabsToken extends Tokens.Generic {
  type: "tabs";
  tabs: { label: string; tokens: Token[] }[];
}

const admonition: TokenizerAndRendererExtension = {
  name: "admonition",
  level: "block",
  start: (src) => src.match(/^(!!!|\?\?\?)/m)?.index,
  tokenizer(src) {
    const m = ADMONITION.exec(src);
    if (!m) return undefined;
    const kind = m[2]!.toLowerCase();
    const title = m[4] ?? kind[0]!.toUpperCase() + kind.slice(1);
    const token: AdmonitionToken = {
      type: "admonition",
      raw: m[0],
      kind,
      title,
      collapsible: m[1]!.startsWith("???"),
      open: m[1] === "???+",
      tokens: [],
    };
    this.lexer.blockTokens(dedent(m[5] ?? ""), token.tokens);
    return token;
  },
  renderer(token) {
    const t = token as AdmonitionToken;
    const body = this.parser.parse(t.tokens);
    const kind = escapeHtml(t.kind);
    if (t.collapsible) return `<details class="admonition ${kind}"${t.open ? " open" : ""}><summary>${escapeHtml(t.title)}</summary>${body}</details>\n`;
    const title = t.title === "" ? "" : `<p class="admonition-title">${escapeHtml(t.title)}</p>`;
    return `<div class="admonition ${kind}">${title}${body}</div>\n`;
  },
};

const tabs: TokenizerAndRendererExtension = {
  name: "tabs",
  level: "block",
  start: (src) => src.match(/^===/m)?.index,
  tokenizer(src) {
    let rest = src;
    let raw = "";
    const found: TabsToken["tabs"] = [];
    for (;;) {
      const blank = /^[ \t]*\n/.exec(rest);
      const probe = blank && found.length ? rest.slice(blank[0].length) : rest;
      const m = TAB.exec(probe);
      if (!m) break;
      const consumed = (probe === rest ? "" : blank![0]) + m[0];
      raw += consumed;
      rest = rest.slice(consumed.length);
      const tab = { label: m[1]!, tokens: [] as Token[] };
      this.lexer.blockTokens(dedent(m[2] ?? ""), tab.tokens);
      found.push(tab);
    }
    if (!found.length) return undefined;
    return { type: "tabs", raw, tabs: found } satisfies TabsToken;
  },
  renderer(token) {
    const t = token as TabsToken;
    // The reader turns each labelled block into a tab; without script they read as labelled sections.
    const blocks = t.tabs.map((tab) => `<div class="tabbed-block"><p class="tabbed-label">${escapeHtml(tab.label)}</p>${this.parser.parse(tab.tokens)}</div>`);
    return `<div class="tabbed-set">${blocks.join("")}</div>\n`;
  },
};

function createMarked(): Marked {
  const marked = new Marked({ gfm: true, async: false });
  marked.use(gfmHeadingId());
  marked.use({
    extensions: [admonition, tabs],
    walkTokens(token) {
      // Children of our block tokens are walked too (marked only knows its own token shapes).
      if (token.type === "tabs") for (const tab of (token as TabsToken).tabs) marked.walkTokens(tab.tokens, () => undefined);
    },
    renderer: {
      code({ text, lang }) {
        return highlightCode(text, lang);
      },
      html({ text }) {
        return text; // sanitized with the rest of the page
      },
      image({ href, title, text }) {
        // A refused image keeps its alt text visible; the sanitizer's pass rewrites the accepted ones.
        const target = rewriteImage(current!, href);
        if (target.kind === "refused") return `<span class="broken-image" title="${escapeHtml(target.reason)}">${escapeHtml(text)}</span>`;
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${title ? ` title="${escapeHtml(title)}"` : ""}>`;
      },
      checkbox({ checked }) {
        // A span, not an <input>: the sanitizer allows no form elements at all.
        return `<span class="task${checked ? " task-done" : ""}">${checked ? "☑" : "☐"}</span> `;
      },
    },
  });
  return marked;
}

let instance: Marked | undefined;
/** The page being rendered (renders are synchronous, one at a time per isolate). */
let current: LinkContext | null = null;

/** Anchors after h2–h6 ids (the renderer's own headings; a raw `<h2 id>` gets one too, which is harmless). */
const withAnchors = (html: string) =>
  html.replace(/<h([2-6]) id="([^"]+)">/g, (_m, level: string, id: string) => `<h${level} id="${id}"><a class="heading-anchor" href="#${id}" aria-hidden="true">#</a>`);

function plainText(token: Token): string {
  const t = token as Tokens.Generic;
  switch (t.type) {
    case "heading":
    case "space":
    case "hr":
    case "def":
      return "";
    case "code":
    case "codespan":
      return t.text as string;
    case "html":
      return String(t.text).replace(/<[^>]*>/g, " ");
    case "list":
      return (t.items as Token[]).map(plainText).join("\n");
    case "table":
      return [...(t.header as Tokens.TableCell[]), ...(t.rows as Tokens.TableCell[][]).flat()].map((c) => c.text).join(" ");
    case "tabs":
      return (t as TabsToken).tabs.map((tab) => `${tab.label}\n${tab.tokens.map(plainText).join("\n")}`).join("\n");
    case "admonition":
      return `${(t as AdmonitionToken).title}\n${(t as AdmonitionToken).tokens.map(plainText).join("\n")}`;
  }
  if (Array.isArray(t.tokens)) return t.tokens.map(plainText).join("");
  return typeof t.text === "string" ? t.text : "";
}

/** Headings in document order, the same order the renderer assigned ids in. */
function headingTokens(tokens: Token[], out: Tokens.Heading[] = []): Tokens.Heading[] {
  for (const token of tokens) {
    const t = token as Tokens.Generic;
    if (t.type === "heading") out.push(t as Tokens.Heading);
    else if (t.type === "tabs") for (const tab of (t as TabsToken).tabs) headingTokens(tab.tokens, out);
    else if (Array.isArray(t.tokens) && t.type !== "paragraph") headingTokens(t.tokens, out);
    else if (t.type === "list") for (const item of t.items as Tokens.ListItem[]) headingTokens(item.tokens, out);
  }
  return out;
}

const MAX_SECTION_CHARS = 8_000;

export function renderMarkdown(source: string, ctx: LinkContext): RenderedPage {
  instance ??= createMarked();
  // Called by marked's preprocess hook only through parse(); lexer()/parser() are used to keep the tokens.
  resetHeadings();
  current = ctx;
  try {
    const text = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    const tokens = instance.lexer(stripFrontMatter(text));
    const raw = withAnchors(instance.parser(tokens));
    const headingList = getHeadingList();
    const headings = headingTokens(tokens);
    const idOf = new Map<Tokens.Heading, { id: string; text: string }>();
    headings.forEach((h, i) => {
      const entry = headingList[i];
      if (entry) idOf.set(h, { id: entry.id, text: entry.raw });
    });
    // Sections: top-level text between headings, each under the heading it follows.
    const sections: PageSection[] = [{ id: "", heading: "", text: "" }];
    for (const token of tokens) {
      const h = token.type === "heading" ? idOf.get(token as Tokens.Heading) : undefined;
      if (h) sections.push({ id: h.id, heading: h.text, text: "" });
      else {
        const s = sections[sections.length - 1]!;
        if (s.text.length < MAX_SECTION_CHARS) s.text = `${s.text}\n${plainText(token)}`.slice(0, MAX_SECTION_CHARS);
      }
    }
    const assets = new Set<string>();
    const html = sanitize(raw, {
      link: (href) => rewriteLink(ctx, href),
      image: (src) => rewriteImage(ctx, src),
      onAsset: (path) => assets.add(path),
    });
    const h1 = headingList.find((h) => h.level === 1);
    return {
      html,
      title: h1 ? decodeEntities(h1.raw) : null,
      toc: headingList.filter((h) => h.level >= 2 && h.level <= 3).map((h) => ({ id: h.id, text: decodeEntities(h.raw), level: h.level })),
      sections: sections
        .map((s) => ({ ...s, heading: decodeEntities(s.heading), text: s.text.replace(/\s+/g, " ").trim() }))
        .filter((s) => s.text || s.heading),
      assets: [...assets],
    };
  } finally {
    current = null;
  }
}

/** mkdocs pages may start with YAML front matter (`---` … `---`): metadata, not content. */
function stripFrontMatter(text: string): string {
  const m = /^---\n[\s\S]*?\n---[ \t]*(?:\n|$)/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

function decodeEntities(s: string): string {
  return s
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

export type { EntityName };
