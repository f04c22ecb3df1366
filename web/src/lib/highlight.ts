/**
 * Search highlights arrive HTML-escaped with `<mark>…</mark>` around matches. Before they go into
 * innerHTML, everything except those exact tags is escaped again, so a server bug can never inject markup.
 */
export function safeHighlight(html: string): string {
  return html
    .split(/(<mark>|<\/mark>)/)
    .map((part) => (part === "<mark>" || part === "</mark>" ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")))
    .join("");
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Client-side highlight for text the server did not highlight (e.g. typeahead over names). */
export function highlightText(text: string, term: string): string {
  const t = term.trim();
  if (!t) return escapeHtml(text);
  const lower = text.toLowerCase();
  const needle = t.toLowerCase();
  let out = "";
  let i = 0;
  for (;;) {
    const at = lower.indexOf(needle, i);
    if (at < 0) break;
    out += `${escapeHtml(text.slice(i, at))}<mark>${escapeHtml(text.slice(at, at + needle.length))}</mark>`;
    i = at + needle.length;
  }
  return out + escapeHtml(text.slice(i));
}
