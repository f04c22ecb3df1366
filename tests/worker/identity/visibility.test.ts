/**
 * The read cache keys answers by the caller's visibility class (set by the access seam), so an answer
 * cached for one class of caller is never served to a caller of another class.
 */
import { describe, expect, it } from "vitest";
import { createExecutionContext, env } from "cloudflare:test";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../../worker/env";
import { cachedRead, readDb } from "../../../worker/catalog/read-cache";
import { jsonText } from "../../../worker/http";
import { api } from "../helpers";

describe("read cache visibility", () => {
  it("keeps one cached answer per visibility class", async () => {
    let computed = 0;
    const app = new Hono<AppEnv>()
      .use(createMiddleware<AppEnv>(async (c, next) => (c.set("visibility", c.req.header("x-visibility")), next())))
      .get("/answer", cachedRead(), async (c) => {
        await readDb(c).prepare("SELECT count(*) AS n FROM entities").all(); // a catalog read, as cached routes make
        return jsonText(c, JSON.stringify({ computed: ++computed, for: c.get("visibility") }));
      });
    const read = async (visibility: string) => {
      const res = await app.request("/answer", { headers: { "x-visibility": visibility } }, env, createExecutionContext());
      return { cache: res.headers.get("x-catalog-cache"), body: (await res.json()) as { computed: number; for: string } };
    };
    expect(await read("owners-of:a")).toEqual({ cache: "miss", body: { computed: 1, for: "owners-of:a" } });
    expect(await read("owners-of:a")).toEqual({ cache: "hit", body: { computed: 1, for: "owners-of:a" } });
    expect(await read("owners-of:b")).toEqual({ cache: "miss", body: { computed: 2, for: "owners-of:b" } });
  });

  it("is set by the access seam for every caller allowed to read", async () => {
    const res = await api("/api/catalog/entity-facets?facet=kind");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-catalog-cache")).toMatch(/^(hit|miss)$/);
  });
});
