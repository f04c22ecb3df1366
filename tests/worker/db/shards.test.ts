/**
 * The catalog API over two D1 databases answers as over one (docs/scaling.md). The fixture catalog (three
 * namespaces, relations across them) is loaded through the API into DB, then split by namespace into two
 * shards: DB_SHARD_A (default and platform; the default shard) and DB_SHARD_B (payments). Every read the
 * shard router serves (by-query with filters, order fields, full text and cursors both ways, by-name,
 * by-uid, by-refs, facets, GET /entities) must give byte for byte the body the single database gives; fast-check draws the
 * queries.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyD1Migrations, env } from "cloudflare:test";
import { api, ingest } from "../helpers";
import { copyShard, fetchWith, fixtureDocs } from "./catalog-copy";

const SHARDED = { DB: env.DB_SHARD_A, DB_SHARD_B: env.DB_SHARD_B, CATALOG_SHARDS: JSON.stringify({ DB_SHARD_B: ["payments"] }) };

beforeAll(async () => {
  const docs = fixtureDocs();
  // Two files, namespaces interleaved within each: row ids of the shards interleave too.
  await ingest("/shards", { "/shards/a.yaml": docs.filter((_, i) => i % 2 === 0).join("\n---\n"), "/shards/b.yaml": docs.filter((_, i) => i % 2 === 1).join("\n---\n") });
  for (const db of [env.DB_SHARD_A, env.DB_SHARD_B]) await applyD1Migrations(db, env.TEST_MIGRATIONS);
  await copyShard(env.DB, env.DB_SHARD_A, ["default", "platform"], true);
  await copyShard(env.DB, env.DB_SHARD_B, ["payments"], false);
});

/** The same request over one database (the worker as deployed, read cache on) and over the shards. */
async function both(path: string, init: RequestInit = {}): Promise<{ one: { status: number; body: string }; sharded: { status: number; body: string } }> {
  const [a, b] = await Promise.all([api(path, init), fetchWith(SHARDED, path, init)]);
  // Error bodies carry each request's own id.
  const body = async (r: Response) => (await r.text()).replace(/"requestId":"[^"]*"/, '"requestId":"-"');
  return { one: { status: a.status, body: await body(a) }, sharded: { status: b.status, body: await body(b) } };
}

async function expectSame(path: string, init?: RequestInit): Promise<string> {
  const { one, sharded } = await both(path, init);
  expect({ path, ...sharded }).toEqual({ path, ...one });
  return one.body;
}

/** Walks a by-query cursor chain forwards to the end and back again, comparing every page. Returns the items seen. */
async function walk(first: string): Promise<number> {
  let body = JSON.parse(await expectSame(first));
  let seen = body.items.length;
  let last = body;
  for (let guard = 0; body.pageInfo.nextCursor && guard < 100; guard++) {
    body = JSON.parse(await expectSame(`/api/catalog/entities/by-query?cursor=${encodeURIComponent(body.pageInfo.nextCursor)}`));
    seen += body.items.length;
    last = body;
  }
  for (let guard = 0; last.pageInfo.prevCursor && guard < 100; guard++) {
    last = JSON.parse(await expectSame(`/api/catalog/entities/by-query?cursor=${encodeURIComponent(last.pageInfo.prevCursor)}`));
  }
  return seen;
}

const q = (params: [string, string][]) => `/api/catalog/entities/by-query?${new URLSearchParams(params)}`;

describe("the catalog over two D1 databases", () => {
  it("really is split: each shard holds only its namespaces' entities", async () => {
    const count = async (db: D1Database) => (await db.prepare("SELECT namespace, count(*) AS n FROM entities GROUP BY namespace ORDER BY namespace").all()).results;
    expect((await count(env.DB_SHARD_B)).map((r) => r.namespace)).toEqual(["payments"]);
    expect((await count(env.DB_SHARD_A)).map((r) => r.namespace)).toEqual(["default", "platform"]);
  });

  it("answers by-name, by-uid and by-refs as one database", async () => {
    const { results } = await env.DB.prepare("SELECT kind, namespace, name, uid, ref FROM entities ORDER BY id").all<{ kind: string; namespace: string; name: string; uid: string; ref: string }>();
    for (const e of results) {
      await expectSame(`/api/catalog/entities/by-name/${e.kind.toLowerCase()}/${e.namespace}/${encodeURIComponent(e.name)}`);
    }
    for (const e of results.filter((_, i) => i % 9 === 0)) await expectSame(`/api/catalog/entities/by-uid/${e.uid}`);
    await expectSame("/api/catalog/entities/by-name/component/payments/nope");
    const refs = [...results.map((e) => e.ref).filter((_, i) => i % 3 === 0), "component:payments/nope", "Component:Platform/SVC-EDGE-2"];
    const post = (body: unknown, query = "") => [`/api/catalog/entities/by-refs${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }] as const;
    await expectSame(...post({ entityRefs: refs }));
    await expectSame(...post({ entityRefs: refs, fields: ["metadata.name", "relations"] }));
    await expectSame(...post({ entityRefs: refs }, "?filter=kind%3Dcomponent"));
  });

  it("answers pages, cursors both ways, totals and full text as one database", async () => {
    expect(await walk(q([["limit", "7"]]))).toBeGreaterThan(70);
    await walk(q([["filter", "kind=component"], ["orderField", "metadata.title,desc"], ["limit", "5"]]));
    await walk(q([["filter", "kind=user"], ["orderField", "spec.profile.displayname,asc"], ["limit", "4"]]));
    await walk(q([["orderField", "metadata.tags,asc"], ["limit", "6"]]));
    await walk(q([["filter", "relations.ownedby=group:payments/team"], ["limit", "3"]]));
    await walk(q([["filter", "relations.hasmember=user:platform/user-2"]]));
    await walk(q([["fullTextFilterTerm", "ledger"], ["fullTextFilterFields", "metadata.title,metadata.description"], ["limit", "4"]]));
    await walk(q([["fullTextFilterTerm", "ä"], ["limit", "4"]]));
    await walk(q([["filter", "spec.type=service"], ["filter", "kind=api,spec.type=grpc"], ["limit", "5"], ["offset", "2"]]));
    await expectSame(q([["filter", "kind=component"], ["totalItems", "exclude"], ["limit", "3"]]));
  });

  it("answers GET /entities as one database: offsets, order fields, the Link cursor and the unpaged stream", async () => {
    for (const params of [
      "filter=kind%3Dcomponent&order=desc:metadata.title&limit=4&offset=3",
      "order=asc:spec.type&order=desc:metadata.name&limit=9&offset=20",
      "order=asc:metadata.tags&limit=50",
      "filter=metadata.namespace%3Dpayments,kind%3Dapi&limit=5",
      "limit=6&offset=11",
      "",
      "order=asc:spec.lifecycle",
      "filter=kind%3Duser&fields=metadata.name",
    ]) {
      await expectSame(`/api/catalog/entities?${params}`);
    }
    const first = await api("/api/catalog/entities?limit=7&order=asc:metadata.name");
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1];
    expect(next).toBeDefined();
    await expectSame(`/api/catalog${next}`);
  });

  it("answers facets as one database, counted and filtered", async () => {
    await expectSame("/api/catalog/entity-facets?facet=kind&facet=spec.type&facet=metadata.tags&facet=spec.owner&facet=metadata.namespace");
    await expectSame("/api/catalog/entity-facets?facet=spec.lifecycle&facet=spec.system&filter=kind%3Dcomponent");
    await expectSame("/api/catalog/entity-facets?facet=spec.owner&facet=metadata.annotations.example.test/mixed-case&filter=spec.type%3Dservice");
    await expectSame("/api/catalog/entity-facets?facet=kind&filter=relations.ownedby%3Dgroup%3Adefault%2Fteam");
  });

  it("answers random queries as one database (fast-check)", async () => {
    const statement = fc.constantFrom(
      "kind=component", "kind=api", "kind=user", "kind=group,kind=system", "spec.type=service", "spec.lifecycle=experimental",
      "metadata.namespace=payments", "metadata.namespace=platform", "metadata.tags=java", "spec.owner=group:platform/team",
      "relations.ownedby=group:default/team", "relations.partof=system:payments/core", "relations.apiconsumedby", "metadata.title",
      "metadata.annotations.example.test/mixed-case=value-1",
    );
    const filter = fc.array(fc.array(statement, { minLength: 1, maxLength: 2 }).map((s) => s.join(",")), { maxLength: 2 });
    const order = fc.option(fc.tuple(fc.constantFrom("metadata.name", "metadata.title", "spec.type", "metadata.tags", "metadata.uid"), fc.constantFrom("asc", "desc")), { nil: undefined });
    const term = fc.option(fc.constantFrom("svc", "Portal", "ing", "zz", "e", "team"), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(filter, order, term, fc.integer({ min: 1, max: 9 }), fc.constantFrom("metadata.name", "metadata.title,metadata.description"), async (filters, orderBy, ft, limit, fields) => {
        const params: [string, string][] = filters.map((f) => ["filter", f]);
        if (orderBy) params.push(["orderField", orderBy.join(",")]);
        if (ft) params.push(["fullTextFilterTerm", ft], ["fullTextFilterFields", fields]);
        params.push(["limit", String(limit)]);
        await walk(q(params));
        await expectSame(`/api/catalog/entity-facets?${new URLSearchParams([["facet", "kind"], ["facet", "spec.type"], ["facet", "metadata.tags"], ...filters.map((f) => ["filter", f] as [string, string])])}`);
      }),
      { numRuns: 25 },
    );
  });
});
