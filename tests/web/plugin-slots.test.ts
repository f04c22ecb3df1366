/** Which plugin slots the portal shows (web/src/plugin-host/slots.ts) and when a predicate holds (contract/plugin.ts). */
import { describe, expect, it } from "vitest";
import { matchesEntity } from "../../contract/plugin";
import { definePluginWeb, type WebPlugin } from "../../contract/plugin-web";
import { installedRows } from "../../web/src/plugin-host/installed";
import { CORE_TAB_IDS, entityCardSlots, entityTabSlots, pageSlots, replacedCoreCards } from "../../web/src/plugin-host/slots";
import { describePredicate } from "../../web/src/routes/plugins-format";

const stub = () => Promise.resolve({ default: () => null });

const api = { kind: "API", metadata: { name: "pets", annotations: {} }, spec: { type: "openapi" } };
const service = { kind: "Component", metadata: { name: "shop", annotations: { "github.com/project-slug": "acme/shop", empty: "" } }, spec: { type: "service" } };

function plugin(id: string, parts: Omit<Partial<WebPlugin>, "manifest"> & { manifest?: Partial<WebPlugin["manifest"]> } = {}): WebPlugin {
  return definePluginWeb({ ...parts, manifest: { id, title: id.toUpperCase(), version: "1.0.0", ...parts.manifest } });
}

describe("matchesEntity", () => {
  it("holds for an empty or missing predicate", () => {
    expect(matchesEntity(undefined, api)).toBe(true);
    expect(matchesEntity({}, {})).toBe(true);
  });

  it("compares kind and spec.type case-insensitively, any of a list", () => {
    expect(matchesEntity({ kind: "api" }, api)).toBe(true);
    expect(matchesEntity({ kind: ["component", "API"] }, api)).toBe(true);
    expect(matchesEntity({ kind: "component" }, api)).toBe(false);
    expect(matchesEntity({ type: "OpenAPI" }, api)).toBe(true);
    expect(matchesEntity({ type: "asyncapi" }, api)).toBe(false);
    expect(matchesEntity({ type: "service" }, { kind: "Component" })).toBe(false);
  });

  it("needs every listed annotation present and non-empty", () => {
    expect(matchesEntity({ annotation: "github.com/project-slug" }, service)).toBe(true);
    expect(matchesEntity({ annotation: ["github.com/project-slug", "empty"] }, service)).toBe(false);
    expect(matchesEntity({ annotation: "github.com/project-slug" }, api)).toBe(false);
  });

  it("needs every condition at once", () => {
    expect(matchesEntity({ kind: "component", type: "service", annotation: "github.com/project-slug" }, service)).toBe(true);
    expect(matchesEntity({ kind: "component", type: "website" }, service)).toBe(false);
  });
});

describe("entity tab and card slots", () => {
  const docs = plugin("docs", {
    manifest: {
      entityTabs: [
        { id: "api-docs", title: "Docs", when: { kind: "api" } },
        { id: "github", title: "GitHub", when: { annotation: "github.com/project-slug" } },
        { id: "no-component", title: "Declared without a component" },
      ],
      entityCards: [{ id: "summary", title: "Summary", when: { kind: "api", type: "openapi" } }],
    },
    entityTabs: { "api-docs": stub, github: stub },
    entityCards: { summary: stub },
  });

  it("shows a tab only where its predicate holds", () => {
    expect(entityTabSlots([docs], api).map((s) => s.slot.id)).toEqual(["api-docs"]);
    expect(entityTabSlots([docs], service).map((s) => s.slot.id)).toEqual(["github"]);
    expect(entityCardSlots([docs], api).map((s) => s.slot.id)).toEqual(["summary"]);
    expect(entityCardSlots([docs], service)).toEqual([]);
  });

  it("skips a manifest entry with no component, and reads only the table's own keys", () => {
    const proto = plugin("proto", { manifest: { entityTabs: [{ id: "constructor", title: "C" }, { id: "toString", title: "T" }] }, entityTabs: {} });
    expect(entityTabSlots([docs, proto], api).map((s) => s.slot.id)).not.toContain("no-component");
    expect(entityTabSlots([proto], api)).toEqual([]);
  });

  it("never replaces a core tab, and the first plugin to claim a tab id keeps it", () => {
    const rival = plugin("rival", {
      manifest: { entityTabs: [...CORE_TAB_IDS.map((id) => ({ id, title: id })), { id: "api-docs", title: "Rival docs" }] },
      entityTabs: Object.fromEntries([...CORE_TAB_IDS, "api-docs"].map((id) => [id, stub])),
    });
    const slots = entityTabSlots([docs, rival], api);
    expect(slots.map((s) => [s.plugin.manifest.id, s.slot.id])).toEqual([["docs", "api-docs"]]);
  });

  it("lets two plugins use the same card id (cards are per plugin)", () => {
    const other = plugin("other", { manifest: { entityCards: [{ id: "summary", title: "Other summary" }] }, entityCards: { summary: stub } });
    expect(entityCardSlots([docs, other], api).map((s) => s.plugin.manifest.id)).toEqual(["docs", "other"]);
  });
});

describe("core cards a plugin card stands in for", () => {
  const apis = plugin("apis", {
    manifest: { entityCards: [{ id: "apis", title: "APIs", when: { kind: "component" }, replaces: "apis" }] },
    entityCards: { apis: stub },
  });

  it("hides the core card only where the plugin card shows", () => {
    expect([...replacedCoreCards(entityCardSlots([apis], service))]).toEqual(["apis"]);
    expect(replacedCoreCards(entityCardSlots([apis], api)).size).toBe(0);
    expect(replacedCoreCards(entityCardSlots([], service)).size).toBe(0);
  });

  it("keeps the core card when the plugin declares the card but ships no component for it", () => {
    const declaredOnly = plugin("apis", { manifest: apis.manifest });
    expect(replacedCoreCards(entityCardSlots([declaredOnly], service)).size).toBe(0);
  });
});

describe("page slots", () => {
  it("routes each nav entry that has a page, outside the core's paths, each path once", () => {
    const a = plugin("a", {
      manifest: { nav: [{ path: "/radar", title: "Radar" }, { path: "/catalog/mine", title: "Shadow" }, { path: "/plugins", title: "Shadow 2" }, { path: "/no-page", title: "No page" }, { path: "/", title: "Root" }] },
      pages: { "/radar": stub, "/catalog/mine": stub, "/plugins": stub, "/": stub },
    });
    const b = plugin("b", { manifest: { nav: [{ path: "/Radar/", title: "Second radar" }, { path: "/costs", title: "Costs" }] }, pages: { "/Radar/": stub, "/costs": stub } });
    expect(pageSlots([a, b]).map((s) => `${s.plugin.manifest.id} ${s.nav.path}`)).toEqual(["a /radar", "b /costs"]);
  });
});

describe("installed plugins", () => {
  const worker = {
    id: "docs", title: "Docs (worker)", version: "1.0.0", description: "From the worker", icon: null, nav: [], entityTabs: [], entityCards: [],
    permissions: [{ name: "plugin.docs.write", description: "Edit" }], hosts: ["api.example.com"], secrets: [{ name: "TOKEN", configured: false }],
    webhooks: [], config: { valid: true as const }, routes: [{ method: "GET", path: "/api/plugins/docs/items", permission: "catalog.entity.read" }],
  };
  const workerOnly = { ...worker, id: "audit-sink", title: "Audit sink", description: null };

  it("merges the web manifests with the worker's list by id and keeps worker-only plugins", () => {
    const rows = installedRows([plugin("docs", { manifest: { description: "Docs for APIs" } }), plugin("zeta")], [worker, workerOnly]);
    expect(rows.map((r) => [r.id, r.web, r.worker !== null])).toEqual([
      ["audit-sink", false, true],
      ["docs", true, true],
      ["zeta", true, false],
    ]);
    const docs = rows.find((r) => r.id === "docs")!;
    expect(docs).toMatchObject({ title: "DOCS", description: "Docs for APIs", hosts: ["api.example.com"], permissions: [{ name: "plugin.docs.write" }] });
    expect(docs.worker?.routes).toHaveLength(1);
  });

  it("lists the web parts alone when the worker's list is unavailable", () => {
    expect(installedRows([plugin("docs")], undefined).map((r) => r.id)).toEqual(["docs"]);
  });

  it("describes predicates for people", () => {
    expect(describePredicate(undefined)).toBe("every entity");
    expect(describePredicate({ kind: ["API", "Component"], annotation: "x" })).toBe("kind API · kind Component · annotation x");
  });
});

describe("slot identity", () => {
  it("selects the same slot objects for a refetched entity, so mounted plugin components stay mounted", () => {
    const p = plugin("same", { manifest: { entityTabs: [{ id: "t", title: "T" }], entityCards: [{ id: "c", title: "C" }] }, entityTabs: { t: stub }, entityCards: { c: stub } });
    expect(entityTabSlots([p], { ...api })[0]).toBe(entityTabSlots([p], { ...api })[0]);
    expect(entityCardSlots([p], { ...service })[0]).toBe(entityCardSlots([p], { ...api })[0]);
  });
});
