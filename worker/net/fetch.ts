/**
 * The one place the worker calls `fetch`. Redirects are followed by hand, each hop checked by the caller's
 * rule before it is requested, up to a hop limit (or, with `redirects: "return"`, never followed: the 3xx
 * is the answer, for the proxy to rewrite or refuse); one timeout covers every hop and the body; the body is
 * read as it streams in and the read is aborted the moment it passes its cap (a declared Content-Length
 * over the cap is refused before reading). Timeouts, network errors and cut-off bodies are RetryableError
 * (a timeout is its OutboundTimeoutError subclass).
 */
import { RetryableError } from "../github/errors";
import { OutboundRefusedError, OutboundTimeoutError, TooLargeError } from "./errors";
import { decodeUtf8 } from "./text";
import { joinChunks } from "./bytes";

export interface GuardedInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** "follow" (the default): each hop checked and requested; "return": a redirect is the answer. */
  redirects?: "follow" | "return";
}

export interface OutboundResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The URL of the hop that answered. */
  readonly url: string;
  /** The body, at most the request's cap; TooLargeError past it, RetryableError when cut off or timed out. */
  bytes(): Promise<Uint8Array>;
  /** The body as strict UTF-8 (FileEncodingError otherwise), a leading BOM dropped. */
  text(): Promise<string>;
  json<T>(): Promise<T>;
  /** Drops the body unread. */
  discard(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function transient(err: unknown, url: URL, signal: AbortSignal, timeoutMs: number, phase: string): RetryableError {
  const name = err instanceof Error ? err.name : "";
  if (signal.aborted || name === "TimeoutError" || name === "AbortError") {
    return new OutboundTimeoutError(`${url.host} did not answer within ${timeoutMs} ms (${phase})`, 5);
  }
  return new RetryableError(`${url.host} ${phase === "request" ? "could not be reached" : "cut the answer off"}: ${err instanceof Error ? err.message : String(err)}`, 5);
}

/** Fetches `start`, calling `checkHop` on it and on every redirect target before requesting it. */
export async function guardedFetch(start: URL, init: GuardedInit, checkHop: (url: URL) => void): Promise<OutboundResponse> {
  const signal = AbortSignal.timeout(init.timeoutMs);
  let url = start;
  let method = init.method ?? "GET";
  let body = init.body;
  for (let hop = 0; ; hop++) {
    checkHop(url);
    let res: Response;
    try {
      res = await fetch(url.href, { method, headers: init.headers, body, redirect: "manual", signal });
    } catch (err) {
      throw transient(err, url, signal, init.timeoutMs, "request");
    }
    const location = REDIRECTS.has(res.status) && init.redirects !== "return" ? res.headers.get("location") : null;
    if (location === null) return capped(res, url, signal, init);
    await res.body?.cancel();
    if (hop >= init.maxRedirects) {
      throw new OutboundRefusedError(`${start.href} redirected more than ${init.maxRedirects} times`, "too-many-redirects");
    }
    try {
      url = new URL(location, url);
    } catch {
      throw new OutboundRefusedError(`${url.host} redirected to an invalid URL`, "bad-redirect");
    }
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
  }
}

function capped(res: Response, url: URL, signal: AbortSignal, init: GuardedInit): OutboundResponse {
  let read: Promise<Uint8Array> | null = null;
  const tooLarge = () => new TooLargeError(`The answer from ${url.host} is larger than ${init.maxBytes} bytes`);

  async function readAll(): Promise<Uint8Array> {
    const declared = Number(res.headers.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > init.maxBytes) {
      await res.body?.cancel();
      throw tooLarge();
    }
    if (!res.body) return new Uint8Array(0);
    const reader = res.body.getReader();
    // The timeout also bounds a body that trickles in; the race stops waiting on a read that never ends.
    let onAbort: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    aborted.catch(() => {});
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), aborted]);
        if (done) break;
        total += value.byteLength;
        if (total > init.maxBytes) throw tooLarge();
        chunks.push(value);
      }
    } catch (err) {
      reader.cancel().catch(() => {});
      if (err instanceof TooLargeError) throw err;
      throw transient(err, url, signal, init.timeoutMs, "body");
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    return joinChunks(chunks, total);
  }

  const bytes = () => (read ??= readAll());
  return {
    status: res.status,
    headers: res.headers,
    url: url.href,
    bytes,
    text: async () => decodeUtf8(await bytes(), `The answer from ${url.host}`),
    json: async <T>() => JSON.parse(decodeUtf8(await bytes(), `The answer from ${url.host}`)) as T,
    discard: async () => {
      if (read === null) await res.body?.cancel();
    },
  };
}
