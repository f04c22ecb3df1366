/** dagre layout of a LayoutInput. Imported only by the lazily loaded graph chunk (dagre is ~25 KB gzip). */
import dagre from "@dagrejs/dagre";
import type { LayoutEdgeInput, LayoutInput, LayoutNodeInput } from "./graph-model";

export interface PositionedNode extends LayoutNodeInput {
  /** Centre. */
  x: number;
  y: number;
}

export interface PositionedEdge extends LayoutEdgeInput {
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  nodes: PositionedNode[];
  edges: PositionedEdge[];
  width: number;
  height: number;
}

export function layoutGraph(input: LayoutInput, opts: { rankdir?: "LR" | "TB" } = {}): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  const big = input.nodes.length > 80;
  g.setGraph({
    rankdir: opts.rankdir ?? "LR",
    nodesep: big ? 14 : 22,
    ranksep: big ? 70 : 90,
    edgesep: 10,
    marginx: 24,
    marginy: 24,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of input.nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const e of input.edges) g.setEdge(e.source, e.target, { minlen: 1 }, e.id);
  dagre.layout(g);

  const nodes: PositionedNode[] = input.nodes.map((n) => {
    const l = g.node(n.id) as { x?: number; y?: number };
    return { ...n, x: l.x ?? 0, y: l.y ?? 0 };
  });
  const edges: PositionedEdge[] = input.edges.map((e) => {
    const l = g.edge({ v: e.source, w: e.target, name: e.id }) as { points?: { x: number; y: number }[] } | undefined;
    return { ...e, points: l?.points ?? [] };
  });
  const label = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: label.width ?? 0, height: label.height ?? 0 };
}
