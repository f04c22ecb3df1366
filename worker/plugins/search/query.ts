/**
 * Turning typed text into an FTS5 MATCH expression that can never be a syntax error, and FTS5 snippets into
 * safe HTML. Only runs of letters, digits and combining marks survive, each as a quoted phrase (so no
 * operator, column filter or quote of the input reaches FTS5), all required; the last one matches as a
 * prefix, for typeahead. Snippets are HTML-escaped with the match markers turned into <mark> afterwards.
 */

const MAX_TERMS = 12;
const MAX_TERM_CHARS = 64;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const HAS_BASE = /[\p{L}\p{N}]/u;

/** The MATCH expression for `text`, or null when it has no searchable word (then nothing matches). */
export function ftsMatchExpression(text: string): string | null {
  const terms = (String(text).match(WORD) ?? [])
    .filter((t) => HAS_BASE.test(t))
    .slice(0, MAX_TERMS)
    .map((t) => [...t].slice(0, MAX_TERM_CHARS).join(""));
  if (!terms.length) return null;
  return terms.map((t, i) => (i === terms.length - 1 ? `"${t}"*` : `"${t}"`)).join(" ");
}

/** Markers snippet() wraps matches in; removed from indexed text so a document cannot forge a <mark>. */
export const MARK_OPEN = "\u0001";
export const MARK_CLOSE = "\u0002";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function snippetHtml(snippet: string | null): string {
  if (!snippet) return "";
  return escapeHtml(snippet).replaceAll(MARK_OPEN, "<mark>").replaceAll(MARK_CLOSE, "</mark>");
}

/** Indexed text without the marker characters (and NUL, which SQLite functions may cut at). */
export const indexableText = (s: string) => s.replace(/[\u0000\u0001\u0002]/g, " ");
