/**
 * Writes API answers into the portal's index.html as JSON data blocks, which the app reads instead of fetching
 * (web/src/api/early.ts; web/public/boot.js knows not to fetch them). Data blocks, not scripts: the
 * Content-Security-Policy forbids inline scripts (web/public/_headers), and a `type="application/json"` block
 * is never run.
 *
 * The session's answer goes before boot.js, which reads it as it runs. The page's own reads (the entity, a docs
 * page) take longer, so the page does not wait for them: everything up to `</body>` is sent first (the browser
 * starts on boot.js, the app's JS and CSS), with a list of the reads still to come (`edgestage-reads-coming`)
 * so boot.js does not fetch them too; their blocks follow at the end of the body, before the app runs (module
 * scripts wait for the whole document).
 */

export interface InlineRead {
  path: string;
  status: number;
  /** The answer's JSON text, as the API sent it. */
  body: string;
}

/** Where the head's blocks go: before boot.js, which reads them as it runs. */
export const BOOT_SCRIPT = '<script src="/boot.js"></script>';
/** Where the page reads' blocks go. */
export const BODY_END = "</body>";
export const COMING_ID = "edgestage-reads-coming";

const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A block's text must not end the script element early: `<` appears in JSON only inside strings, where
 * `\u003c` means the same, so after this no `</script` or `<!--` is left and JSON.parse reads the same value.
 */
const scriptText = (json: string) => json.replace(/</g, "\\u003c");

export function dataBlock(read: InlineRead): string {
  return `<script type="application/json" data-read="${attr(read.path)}" data-status="${read.status}">${scriptText(read.body)}</script>`;
}

/** index.html cut where the blocks go; null if it lacks either place (then nothing is inlined). */
export interface PageParts {
  /** Up to boot.js. */
  head: string;
  /** From boot.js to `</body>`. */
  body: string;
  /** `</body>` and the rest. */
  end: string;
}

export function splitPage(html: string): PageParts | null {
  const boot = html.indexOf(BOOT_SCRIPT);
  const end = html.lastIndexOf(BODY_END);
  if (boot < 0 || end < boot) return null;
  return { head: html.slice(0, boot), body: html.slice(boot, end), end: html.slice(end) };
}

/** The document before the page reads' answers: the head's answers and the list of reads still to come. */
export function pageStart(parts: PageParts, headReads: readonly InlineRead[], coming: readonly string[]): string {
  const blocks = headReads.map(dataBlock);
  if (coming.length) blocks.push(`<script id="${COMING_ID}" type="application/json">${scriptText(JSON.stringify(coming))}</script>`);
  return parts.head + blocks.map((b) => `${b}\n    `).join("") + parts.body;
}

/** The rest of the document: the page reads' answers, then `</body>` and what follows it. */
export function pageEnd(parts: PageParts, reads: readonly InlineRead[]): string {
  return reads.map((r) => `${dataBlock(r)}\n  `).join("") + parts.end;
}

/** The whole document at once (what a browser receives once the stream has ended). */
export function inlineReads(html: string, headReads: readonly InlineRead[], bodyReads: readonly InlineRead[] = [], coming: readonly string[] = bodyReads.map((r) => r.path)): string {
  const parts = splitPage(html);
  if (!parts || (headReads.length === 0 && coming.length === 0)) return html;
  return pageStart(parts, headReads, coming) + pageEnd(parts, bodyReads);
}
