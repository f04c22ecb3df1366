/**
 * The security tests' side of the canary (canary-server.mjs, an internal service on 127.0.0.1 that must
 * never be reached) and of hosts on the allow-list: `*.allowed.test` is answered by a stub in front of the
 * real fetch, which behaves as fetch does, so a stub redirect is followed unless the caller asked for
 * `redirect: "manual"`. A redirect to the canary then reaches the real server.
 */
import { inject, vi } from "vitest";

export const canary = () => inject("canary");

export async function canaryHits(): Promise<{ method: string; url: string }[]> {
  const c = canary();
  return (await (await fetch(`${c.url}${c.control}/hits`)).json()) as { method: string; url: string }[];
}

/** The canary answers requests from this isolate (through its control path, which records nothing). */
export async function canaryReachable(): Promise<boolean> {
  const c = canary();
  return (await fetch(`${c.url}${c.control}/ping`)).ok;
}

/** Every spelling of the canary's address the security tests try: IPv4 notations, IPv6 forms, names. */
export function canaryHosts(): string[] {
  const { port } = canary();
  return [
    `127.0.0.1:${port}`,
    `2130706433:${port}`,
    `0x7f000001:${port}`,
    `0x7f.1:${port}`,
    `0177.0.0.1:${port}`,
    `127.1:${port}`,
    `127.0.0.1.:${port}`,
    `[::1]:${port}`,
    `[::ffff:127.0.0.1]:${port}`,
    `[::ffff:7f00:1]:${port}`,
    `[0:0:0:0:0:ffff:127.0.0.1]:${port}`,
    `localhost:${port}`,
    `localhost.:${port}`,
    `LOCALHOST:${port}`,
    `x.localhost:${port}`,
    `0.0.0.0:${port}`,
    `0:${port}`,
    `[::]:${port}`,
    `user:pw@127.0.0.1:${port}`,
  ];
}

export type StubRoute = (req: Request) => Response | Promise<Response> | undefined;

/**
 * Answers `https://*.allowed.test/...` with `route` (404 when it returns nothing) and passes every other
 * request to whatever fetch was installed before (the fake GitHub, then the real fetch). Follows a stub's
 * redirects as fetch does unless the request says `redirect: "manual"`.
 */
export function installAllowedHosts(route: StubRoute): { requests: string[] } {
  const requests: string[] = [];
  const previous = vi.isMockFunction(globalThis.fetch) ? vi.mocked(globalThis.fetch).getMockImplementation() : undefined;
  const realFetch = globalThis.fetch;
  const next = previous ?? ((input: RequestInfo | URL, init?: RequestInit) => realFetch(input, init));
  const handle = async (input: RequestInfo | URL, init?: RequestInit, hops = 0): Promise<Response> => {
    const req = new Request(input, init);
    if (!/^https?:\/\/([^/]+\.)?allowed\.test(:\d+)?\//i.test(req.url)) return next(input, init);
    requests.push(req.url);
    const res = (await route(req)) ?? new Response("not found", { status: 404 });
    const location = res.headers.get("location");
    if (location && res.status >= 300 && res.status < 400 && req.redirect !== "manual" && hops < 20) {
      return handle(new URL(location, req.url).href, { method: "GET", headers: req.headers }, hops + 1);
    }
    return res;
  };
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => handle(input, init));
  return { requests };
}
