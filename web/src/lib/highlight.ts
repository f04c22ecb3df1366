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

/** The server's highlight when there is one, else the plain text, escaped: always safe for innerHTML. */
export function highlightOr(highlighted: string | undefined, raw: string): string {
  return highlighted ? safeHighlight(highlighted) : escapeHtml(raw);
}

/** `kind:namespace/name` with the name part highlighted when the server matched the name. */
export function highlightRef(item: { ref: string; kind: string; namespace: string; highlights: { ref?: string; name?: string } }): string {
  if (item.highlights.ref) return safeHighlight(item.highlights.ref);
  if (item.highlights.name) return `${escapeHtml(`${item.kind.toLowerCase()}:${item.namespace}/`)}${safeHighlight(item.highlights.name)}`;
  return escapeHtml(item.ref);
}

/**
 * Full text with every query word highlighted locally, for fields where the server only sent a short
 * snippet. Returns undefined when no word occurs, so the caller can fall back to the server's highlight.
 */
export function highlightTerms(text: string, query: string): string | undefined {
  const terms = [...new Set(query.toLowerCase().split(/\s+/).filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  if (!terms.length) return undefined;
  const lower = text.toLowerCase();
  const marks: [number, number][] = [];
  for (const t of terms) {
    for (let at = lower.indexOf(t); at >= 0; at = lower.indexOf(t, at + t.length)) {
      if (!marks.some(([s, e]) => at < e && at + t.length > s)) marks.push([at, at + t.length]);
    }
  }
  if (!marks.length) return undefined;
  marks.sort((a, b) => a[0] - b[0]);
  let out = "";
  let i = 0;
  for (const [s, e] of marks) {
    out += `${escapeHtml(text.slice(i, s))}<mark>${escapeHtml(text.slice(s, e))}</mark>`;
    i = e;
  }
  return out + escapeHtml(text.slice(i));
}
