/**
 * Reads index.html started (through /boot.js) before any of the app's JS had downloaded.
 * Each is used once, by the first request for the same path, and only if it is still fresh.
 */

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

export function takeEarlyResponse(path: string): Promise<Response> | undefined {
  if (typeof window === "undefined" || !window.__edgestageEarly) return undefined;
  const list = window.__edgestageEarly;
  const i = list.findIndex((e) => e.path === path);
  if (i < 0) return undefined;
  const [hit] = list.splice(i, 1);
  return hit && performance.now() - hit.at < MAX_AGE_MS ? hit.response : undefined;
}
