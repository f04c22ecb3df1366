/**
 * Proxy test helpers: a worker app called with PROXY_ENDPOINTS (and secrets, a policy) of the test's choosing,
 * the upstream's hit list (target-server.mjs), and the invariant every proxy test file checks after each
 * test: the upstream saw nothing outside a test file's base path `/f-<random>/api`.
 */
import { createExecutionContext, env } from "cloudflare:test";
import { expect, inject } from "vitest";
import { createApp } from "../../../worker/app";

export const target = () => inject("proxyTarget");

export interface Hit {
  method: string;
  url: string;
  /** Node's rawHeaders: name, value, name, value, ... as they arrived. */
  headers: string[];
  body: string;
}

/** This test file's base path on the upstream (each file proxies only below its own). */
export function fileBase(): string {
  return `/f-${Math.random().toString(36).slice(2, 10)}/api`;
}

export async function targetHits(): Promise<Hit[]> {
  const t = target();
  return (await (await fetch(`${t.url}${t.control}/hits`)).json()) as Hit[];
}

export async function hitsUnder(prefix: string): Promise<Hit[]> {
  return (await targetHits()).filter((h) => h.url === prefix || h.url.startsWith(`${prefix}/`) || h.url.startsWith(`${prefix}?`));
}

/** No request ever reached the upstream outside some test file's base path. */
export async function expectNoEscapes(): Promise<void> {
  const escaped = (await targetHits()).filter((h) => !/^\/f-[a-z0-9]+\/api(?:[/?]|$)/.test(h.url));
  expect(escaped.map((h) => `${h.method} ${h.url}`)).toEqual([]);
}

export const ADMIN = { authorization: "Bearer test-admin-token" };
export const ORIGIN = { origin: "https://portal.test" };

const app = createApp();

export type ProxyEnv = { PROXY_ENDPOINTS?: string | Record<string, unknown>; [name: string]: unknown };

/** A request to the worker with `extra` over the test env (PROXY_ENDPOINTS as an object is JSON-encoded). */
export async function call(path: string, init: RequestInit = {}, extra: ProxyEnv = {}): Promise<Response> {
  const { PROXY_ENDPOINTS, ...rest } = extra;
  const proxyEnv = { ...env, ...rest, ...(PROXY_ENDPOINTS === undefined ? {} : { PROXY_ENDPOINTS: typeof PROXY_ENDPOINTS === "string" ? PROXY_ENDPOINTS : JSON.stringify(PROXY_ENDPOINTS) }) };
  return app.request(`https://portal.test${path}`, { redirect: "manual", ...init }, proxyEnv, createExecutionContext());
}

/** The error envelope's name and status, for assertions. */
export async function errorOf(res: Response): Promise<{ status: number; name: string; message: string }> {
  const body = (await res.json()) as { error: { name: string; message: string }; response: { statusCode: number } };
  expect(body.response.statusCode).toBe(res.status);
  return { status: res.status, name: body.error.name, message: body.error.message };
}

/** Header pairs from Node's rawHeaders, names lower-cased. */
export function headerPairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i].toLowerCase(), raw[i + 1]]);
  return out;
}
