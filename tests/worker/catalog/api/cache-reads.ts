/** Reads for the read-cache tests: a cached read with its x-catalog-cache label, and the same read uncached. */
import { expect } from "vitest";
import { env } from "cloudflare:test";
import { api } from "../../helpers";
import { fetchWith } from "../../db/catalog-copy";

export async function read(path: string, init?: RequestInit) {
  const res = await api(path, init);
  return { cache: res.headers.get("x-catalog-cache"), status: res.status, text: await res.text() };
}

/** The answer a worker with the read caches off gives, over the same database. */
export async function uncached(path: string, init?: RequestInit): Promise<string> {
  const res = await fetchWith({ DB: env.DB, CATALOG_READ_CACHE: "off" }, path, init);
  expect(res.status).toBe(200);
  return res.text();
}
