/**
 * Reads index.html started (through /boot.js) before any of the app's JS had downloaded, or whose answers the
 * worker wrote into the page. Each is used once, by the first request for the same path, and only if it is still
 * fresh.
 */
import type { InlineAnswer } from "./request";

interface EarlyRead {
  path: string;
  at: number;
  response: Promise<Response>;
}

declare global {
  interface Window {
    __edgestageEarly?: EarlyRead[];
  }
}

const MAX_AGE_MS = 10_000;

function inlineAnswer(path: string): InlineAnswer | undefined {
  if (typeof document === "undefined") return undefined;
  const blocks = document.querySelectorAll('script[type="application/json"][data-read]');
  for (const block of blocks) {
    if (block.getAttribute("data-read") !== path) continue;
    return { status: Number(block.getAttribute("data-status")) || 200, text: block.textContent ?? "" };
  }
  return undefined;
}

/**
 * The early read of `path`: its answer from the page when the worker wrote one in (read from its data block as
 * text, not as the Response boot.js made of it: reading a Response's body always waits for a later task, and on
 * a cold deep link each such wait let the browser lay out and paint a half-built page first), else the
 * response boot.js fetched.
 */
export function takeEarlyResponse(path: string): Promise<Response> | InlineAnswer | undefined {
  if (typeof window === "undefined" || !window.__edgestageEarly) return undefined;
  const list = window.__edgestageEarly;
  const i = list.findIndex((e) => e.path === path);
  if (i < 0) return undefined;
  const [hit] = list.splice(i, 1);
  if (!hit || performance.now() - hit.at >= MAX_AGE_MS) return undefined;
  return inlineAnswer(path) ?? hit.response;
}
