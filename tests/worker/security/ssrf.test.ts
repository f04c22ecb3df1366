/**
 * SSRF through the HTTP API: every way catalog data makes the worker fetch (validate-entity as anonymous
 * and as admin, POST /locations with and without dryRun, files ingested from GitHub with placeholders and
 * Location targets, redirect chains from an allowed host) aimed at an internal service (the canary on
 * 127.0.0.1, in every spelling of its address). The canary must see no request and no answer may carry
 * its body.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN, getJson, postJson, uniq } from "../helpers";
import { createRepo, entity, installFakeGithub, push, quiesce, yamlComponent } from "../ingestion/github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import { canary, canaryHits, canaryHosts, canaryReachable, installAllowedHosts } from "./canary";

const FETCHED = "FETCHED-CONTENT-91c2";
let fake: FakeGithub;
let allowed: { requests: string[] };

beforeAll(async () => {
  fake = installFakeGithub();
  allowed = installAllowedHosts((req) => {
    const url = new URL(req.url);
    if (url.pathname.startsWith("/to-canary")) return Response.redirect(`${canary().url}/redirected${url.pathname}`, 302);
    if (url.pathname === "/hop") return new Response(null, { status: 302, headers: { location: "/to-canary/2" } });
    if (url.pathname === "/loop") return new Response(null, { status: 302, headers: { location: "/loop" } });
    if (url.pathname === "/ok.txt") return new Response("plain text from an allowed host");
    if (url.pathname === "/owner.txt") return new Response(`${FETCHED}:`);
    if (url.pathname === "/labels.json") return Response.json({ [`${FETCHED}-key`]: "not a label value!", tier: `${FETCHED} value` });
    if (url.pathname === "/broken.json") return new Response(`{"a": ${FETCHED}`);
    if (url.pathname === "/broken.yaml") return new Response(`a: [${FETCHED}\n`);
    if (url.pathname === "/entity.json") return Response.json({ apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: `${FETCHED}!` }, spec: {} });
    return undefined;
  });
  // The canary is reachable from this isolate: a zero hit count below means the worker refused, not failed.
  expect(await canaryReachable()).toBe(true);
});
afterEach(async () => {
  expect(await canaryHits()).toEqual([]);
});
afterAll(() => quiesce(fake));

const api = (name: string, definition: unknown) => ({
  apiVersion: "backstage.io/v1alpha1",
  kind: "API",
  metadata: { name },
  spec: { type: "openapi", lifecycle: "production", owner: "team-a", definition },
});

const targets = () => canaryHosts().map((host, i) => `http://${host}/probe-${i}`);

function expectNoCanaryBody(body: unknown) {
  expect(JSON.stringify(body ?? null)).not.toContain(canary().secret);
}

describe("POST /validate-entity", () => {
  it("reads nothing over the network for an anonymous caller", async () => {
    for (const [i, target] of [...targets(), "https://ok.allowed.test/ok.txt"].entries()) {
      for (const key of ["$text", "$json", "$yaml"]) {
        const res = await postJson("/api/catalog/validate-entity", { location: "url:https://ok.allowed.test/catalog-info.yaml", entity: api(`anon-${i}`, { [key]: target }) }, {});
        expect(res.status).toBe(400);
        expectNoCanaryBody(res.body);
        expect(res.body.errors[0].message).toContain("needs the catalog.location.create permission");
      }
    }
    expect(allowed.requests).toEqual([]);
  });

  it("refuses internal addresses in any notation for an admin, naming the rule", async () => {
    for (const [i, target] of targets().entries()) {
      const res = await postJson("/api/catalog/validate-entity", { location: "url:https://ok.allowed.test/catalog-info.yaml", entity: api(`admin-${i}`, { $text: target }) }, ADMIN);
      expect(res.status, target).toBe(400);
      expectNoCanaryBody(res.body);
      expect(res.body.errors[0].message).toMatch(/OutboundRefusedError: .*(are never reached|credentials)/);
    }
  });

  it("resolves relative placeholders of an entity whose own location is internal against nothing", async () => {
    const res = await postJson("/api/catalog/validate-entity", { location: `url:${canary().url}/catalog-info.yaml`, entity: api("relative", { $text: "./spec.yaml" }) }, ADMIN);
    expect(res.status).toBe(400);
    expectNoCanaryBody(res.body);
  });

  it("re-checks every redirect hop and stops a chain from an allowed host into the internal network", async () => {
    const before = allowed.requests.length;
    const res = await postJson("/api/catalog/validate-entity", { location: "url:https://ok.allowed.test/catalog-info.yaml", entity: api("redirected", { $text: "https://ok.allowed.test/hop" }) }, ADMIN);
    expect(res.status).toBe(400);
    expectNoCanaryBody(res.body);
    expect(res.body.errors[0].message).toContain("are never reached");
    // Both allowed hops were requested by hand; the third, to the canary, never was.
    expect(allowed.requests.slice(before)).toEqual(["https://ok.allowed.test/hop", "https://ok.allowed.test/to-canary/2"]);

    const loop = await postJson("/api/catalog/validate-entity", { location: "url:https://ok.allowed.test/c.yaml", entity: api("loop", { $text: "https://ok.allowed.test/loop" }) }, ADMIN);
    expect(loop.body.errors[0].message).toContain("redirected more than 5 times");
  });

  it("still reads allowed hosts for an admin", async () => {
    const res = await postJson("/api/catalog/validate-entity", { location: "url:https://ok.allowed.test/catalog-info.yaml", entity: api("allowed", { $text: "https://ok.allowed.test/ok.txt" }) }, ADMIN);
    expect(res.status).toBe(200);
    const other = await postJson("/api/catalog/validate-entity", { location: "url:https://ok.allowed.test/catalog-info.yaml", entity: api("not-listed", { $text: "https://example.com/spec.yaml" }) }, ADMIN);
    expect(other.body.errors[0].message).toContain("not an allowed host for catalog reads (CATALOG_READ_ALLOW)");
  });
});

describe("validation messages", () => {
  it("name the field and the rule but never quote what a placeholder read", async () => {
    const component = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({
      apiVersion: "backstage.io/v1alpha1",
      kind: "Component",
      metadata: { name: "echo", ...meta },
      spec: { type: "service", lifecycle: "production", owner: "team-a", ...spec },
    });
    const cases: [unknown, string | null][] = [
      [component({ owner: { $text: "https://ok.allowed.test/owner.txt" } }), "spec.owner"],
      [component({}, { labels: { $json: "https://ok.allowed.test/labels.json" } }), "metadata.labels"],
      [component({ x: { $json: "https://ok.allowed.test/broken.json" } }), "spec.x"],
      [component({ x: { $yaml: "https://ok.allowed.test/broken.yaml" } }), "spec.x"],
      [{ $json: "https://ok.allowed.test/entity.json" }, null],
    ];
    for (const [entity, field] of cases) {
      const res = await postJson("/api/catalog/validate-entity", { location: "url:https://ok.allowed.test/catalog-info.yaml", entity }, ADMIN);
      expect(res.status, JSON.stringify(entity)).toBe(400);
      expect(JSON.stringify(res.body)).not.toContain(FETCHED);
      if (field) expect(res.body.errors[0].message).toContain(`(field ${field})`);
    }
  });
});

describe("POST /locations", () => {
  it("refuses a dry run of an internal target and of a redirect into the internal network", async () => {
    for (const target of [...targets().filter((t) => !t.includes("@")), "https://ok.allowed.test/to-canary/dry"]) {
      const res = await postJson("/api/catalog/locations?dryRun=true", { type: "url", target }, ADMIN);
      expect(res.status, target).toBe(400);
      expectNoCanaryBody(res.body);
    }
  });

  it("registers an internal target but its refresh reads nothing and records why", async () => {
    const target = `${canary().url}/registered-${uniq("loc")}.yaml`;
    const created = await postJson("/api/catalog/locations", { type: "url", target }, ADMIN);
    expect(created.status).toBe(201);
    const key = `url:${target}`;
    const errors = await vi.waitUntil(
      async () => {
        const items = (await getJson(`/api/catalog/processing-errors?location=${encodeURIComponent(key)}`)).body.items;
        return items.length ? items : false;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(errors[0].message).toContain("are never reached");
    expectNoCanaryBody(errors);
  });
});

describe("files ingested from GitHub", () => {
  it("never reads an internal address for a placeholder or a Location target", async () => {
    const urls = targets().filter((t) => !t.includes("@"));
    const location = ["apiVersion: backstage.io/v1alpha1", "kind: Location", "metadata:", "  name: internal-targets", "spec:", `  targets: ${JSON.stringify([...urls, "https://ok.allowed.test/to-canary/target"])}`, ""].join("\n");
    const apis = urls.map((u, i) => JSON.stringify(api(`ingested-${i}`, { [["$text", "$json", "$yaml"][i % 3]]: u }))).join("\n---\n");
    const repo = await createRepo(fake, { "catalog-info.yaml": `${yamlComponent("ssrf-root")}---\n${location}---\n${apis}\n` });
    const { status } = await push(fake, repo, { "README.md": "x" });
    expect(status.status).toBe("done");
    expect((await entity("component", "ssrf-root")).status).toBe(200);
    const errors = (await getJson("/api/catalog/processing-errors?limit=1000")).body.items.filter((e: { location: string }) => e.location.includes(repo.name) || urls.some((u) => e.location.includes(u)));
    expect(errors.length).toBeGreaterThan(0);
    expectNoCanaryBody(errors);
    expectNoCanaryBody(fake.statuses);
  });
});
