/** Work around the answer: changing its headers after the handler ran, and writes that need not delay it. */
import type { Context } from "hono";

export function setHeaders(c: Context, change: (headers: Headers) => void): void {
  try {
    change(c.res.headers);
  } catch {
    // A Response passed through from fetch() (static assets, a proxied answer) has immutable headers.
    c.res = new Response(c.res.body, c.res);
    change(c.res.headers);
  }
}

/** Runs `work` past the answer (waitUntil); a failure is logged, never thrown at the caller. */
export function afterResponse(c: Context, label: string, work: Promise<unknown>): void {
  const settled = work.catch((err) => console.error(`${label} failed`, err));
  try {
    c.executionCtx.waitUntil(settled);
  } catch {
    // No execution context (a bare app.request()): the promise still runs to completion.
  }
}
