/**
 * createAfterPaint() on its own path: a plugin's first-paint code imports it from here, not from the barrel,
 * whose chunk also brings the Markdown renderer (marked, ~80 KB) into that plugin's first download.
 */
export { createAfterPaint } from "../lib/after-paint";
