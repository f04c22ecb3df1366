import { describe, expect, it } from "vitest";
import { layoutGraph } from "../../web/src/lib/graph-layout";
import { buildLayoutInput, canonicalEdge, NODE_HEIGHT, relationTypesFor } from "../../web/src/lib/graph-model";
import type { GraphResponse } from "../../contract/catalog-api";

const node = (ref: string, extra: Partial<GraphResponse["nodes"][number]> = {}) => {
  const [kind, rest] = ref.split(":") as [string, string];
  const [namespace, name] = rest.split("/") as [string, string];
  return { ref, kind, namespace, name, depth: 0, ...extra };
};

const graph: GraphResponse = {
  nodes: [
    node("component:default/petstore", { title: "Pet Store" }),
    node("group:default/team-c"),
    node("system:default/shop"),
    node("api:default/petstore-api"),
    node("user:default/jane"),
    node("api:default/ghost", { missing: true }),
  ],
  edges: [
    { source: "component:default/petstore", type: "ownedBy", target: "group:default/team-c" },
    { source: "group:default/team-c", type: "ownerOf", target: "component:default/petstore" },
    { source: "component:default/petstore", type: "partOf", target: "system:default/shop" },
    { source: "api:default/petstore-api", type: "apiProvidedBy", target: "component:default/petstore" },
    { source: "user:default/jane", type: "memberOf", target: "group:default/team-c" },
    { source: "component:default/petstore", type: "consumesApi", target: "api:default/ghost" },
    { source: "component:default/petstore", type: "dependsOn", target: "component:default/not-in-nodes" },
  ],
  truncated: false,
};

describe("canonicalEdge", () => {
  it("turns the inverse half of a pair around", () => {
    expect(canonicalEdge({ source: "api:a/x", type: "apiProvidedBy", target: "component:a/y" })).toEqual({ source: "component:a/y", type: "providesApi", target: "api:a/x" });
    expect(canonicalEdge({ source: "a", type: "ownedBy", target: "b" })).toEqual({ source: "a", type: "ownedBy", target: "b" });
    expect(canonicalEdge({ source: "a", type: "custom", target: "b" })).toEqual({ source: "a", type: "custom", target: "b" });
  });

  it("expands canonical types to both halves for the API", () => {
    expect(relationTypesFor(["ownedBy", "partOf", "custom"])).toEqual(["ownedBy", "ownerOf", "partOf", "hasPart", "custom"]);
  });
});

describe("buildLayoutInput", () => {
  it("keeps one edge per relation pair and drops edges to unknown nodes", () => {
    const input = buildLayoutInput(graph, { root: "component:default/petstore" });
    expect(input.edges.map((e) => e.id).sort()).toEqual([
      "component:default/petstore|consumesApi|api:default/ghost",
      "component:default/petstore|ownedBy|group:default/team-c",
      "component:default/petstore|partOf|system:default/shop",
      "component:default/petstore|providesApi|api:default/petstore-api",
      "user:default/jane|memberOf|group:default/team-c",
    ]);
    expect(input.nodes).toHaveLength(6);
  });

  it("marks the root and missing nodes and labels nodes by title", () => {
    const input = buildLayoutInput(graph, { root: "Component:default/PETSTORE" });
    const root = input.nodes.find((n) => n.root)!;
    expect(root).toMatchObject({ id: "component:default/petstore", label: "Pet Store", sublabel: "component · petstore", height: NODE_HEIGHT });
    expect(root.width).toBeGreaterThanOrEqual(132);
    expect(input.nodes.find((n) => n.id === "api:default/ghost")!.missing).toBe(true);
  });

  it("prunes what a switched-off relation brought in", () => {
    const input = buildLayoutInput(graph, { root: "component:default/petstore", relations: ["partOf", "memberOf"] });
    expect(input.nodes.map((n) => n.id).sort()).toEqual(["component:default/petstore", "system:default/shop"]);
    expect(input.edges).toHaveLength(1);
  });

  it("accepts either half of a pair as the filter", () => {
    const input = buildLayoutInput(graph, { root: "component:default/petstore", relations: ["apiProvidedBy"] });
    expect(input.edges.map((e) => e.type)).toEqual(["providesApi"]);
  });

  it("hides kinds but never the root", () => {
    const input = buildLayoutInput(graph, { root: "component:default/petstore", hiddenKinds: ["group", "component"] });
    expect(input.nodes.map((n) => n.id)).not.toContain("group:default/team-c");
    // jane was only reachable through team-c
    expect(input.nodes.map((n) => n.id)).not.toContain("user:default/jane");
    expect(input.nodes.some((n) => n.root)).toBe(true);
  });
});

describe("layoutGraph", () => {
  it("places every node without overlaps and routes every edge", () => {
    const input = buildLayoutInput(graph, { root: "component:default/petstore" });
    const layout = layoutGraph(input, { rankdir: "LR" });
    expect(layout.nodes).toHaveLength(input.nodes.length);
    expect(layout.width).toBeGreaterThan(0);
    for (const e of layout.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
    for (const a of layout.nodes)
      for (const b of layout.nodes) {
        if (a === b) continue;
        const overlapX = Math.abs(a.x - b.x) < (a.width + b.width) / 2;
        const overlapY = Math.abs(a.y - b.y) < (a.height + b.height) / 2;
        expect(overlapX && overlapY).toBe(false);
      }
  });

  it("lays out 200 nodes", () => {
    const nodes = [node("system:default/root")];
    const edges = [];
    for (let i = 0; i < 199; i++) {
      nodes.push(node(`component:default/c${i}`));
      edges.push({ source: `component:default/c${i}`, type: "partOf", target: "system:default/root" });
    }
    const layout = layoutGraph(buildLayoutInput({ nodes, edges, truncated: false }, { root: "system:default/root" }));
    expect(layout.nodes).toHaveLength(200);
  });
});
