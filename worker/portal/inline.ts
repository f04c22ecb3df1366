/**
 * Writes API answers into the portal's index.html as JSON data blocks, which web/public/boot.js turns into the
 * responses the app would otherwise fetch. Data blocks, not scripts: the Content-Security-Policy forbids inline
 * scripts (web/public/_headers), and a `type="application/json"` block is never run.
 */

export interface InlineRead {
  path: string;
  status: number;
  /** The answer's JSON text, as the API sent it. */
  body: string;
}

/** Where the blocks go: before boot.js, which reads them as it runs. */
export const BOOT_SCRIPT = '<script src="/boot.js"></script>';

const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A block's text must not end the script element early: `<` appears in JSON only inside strings, where
 * `\u003c` means the same, so after this no `</script` or `<!--` is left and JSON.parse reads the same value.
 */
const scriptText = (json: string) => json.replace(/</g, "\\u003c");

export function dataBlock(read: InlineRead): string {
  return `<script type="application/json" data-read="${attr(read.path)}" data-status="${read.status}">${scriptText(read.body)}</script>`;
}

/** `html` with a block per read before boot.js; `html` unchanged if it has no boot.js tag to put them before. */
export function inlineReads(html: string, reads: readonly InlineRead[]): string {
  const at = html.indexOf(BOOT_SCRIPT);
  if (at < 0 || reads.length === 0) return html;
  return html.slice(0, at) + reads.map(dataBlock).join("\n    ") + "\n    " + html.slice(at);
}
