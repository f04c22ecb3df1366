/**
 * Relation graph → layout input: canonical edge direction, de-duplication, relation and kind filters,
 * node sizes. Pure (no dagre), so it is cheap to test and to run before the layout chunk loads.
 */
import type { GraphEdge, GraphResponse } from "../../../contract/catalog-api";
import { humanizeRef } from "./entity-ref";

/** Backstage emits relations in pairs; the graph shows one edge per pair, in the first type's direction. */
export const RELATION_PAIRS: readonly (readonly [string, string])[] = [
  ["ownedBy", "ownerOf"],
  ["partOf", "hasPart"],
  ["memberOf", "hasMember"],
  ["childOf", "parentOf"],
  ["dependsOn", "dependencyOf"],
  ["providesApi", "apiProvidedBy"],
  ["consumesApi", "apiConsumedBy"],
];

/** Canonical relation types a user can switch on and off, with labels. */
export const GRAPH_RELATIONS: readonly { type: string; label: string }[] = [
  { type: "ownedBy", label: "Ownership" },
  { type: "partOf", label: "Part of" },
  { type: "memberOf", label: "Membership" },
  { type: "childOf", label: "Group hierarchy" },
  { type: "dependsOn", label: "Dependencies" },
  { type: "providesApi", label: "Provides API" },
  { type: "consumesApi", label: "Consumes API" },
];

const CANONICAL = new Map<string, { type: string; inverse: boolean }>();
for (const [a, b] of RELATION_PAIRS) {
  CANONICAL.set(a.toLowerCase(), { type: a, inverse: false });
  CANONICAL.set(b.toLowerCase(), { type: a, inverse: true });
}

/** `{source: api, type: apiProvidedBy, target: comp}` → `{source: comp, type: providesApi, target: api}`. */
export function canonicalEdge(e: GraphEdge): GraphEdge {
  const c = CANONICAL.get(e.type.toLowerCase());
  if (!c) return e;
  return c.inverse ? { source: e.target, type: c.type, target: e.source } : { source: e.source, type: c.type, target: e.target };
}

/** The canonical type plus its inverse, e.g. for the API's `relations=` parameter. */
export function relationTypesFor(canonical: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of canonical) {
    const pair = RELATION_PAIRS.find(([a]) => a.toLowerCase() === t.toLowerCase());
    if (pair) out.push(pair[0], pair[1]);
    else out.push(t);
  }
  return out;
}

export interface LayoutNodeInput {
  id: string;
  label: string;
  kind: string;
  /** Secondary line: `kind · namespace/name` style. */
  sublabel: string;
  width: number;
  height: number;
  root: boolean;
  missing: boolean;
}

export interface LayoutEdgeInput {
  id: string;
  source: string;
  target: string;
  type: string;
}

export interface LayoutInput {
  nodes: LayoutNodeInput[];
  edges: LayoutEdgeInput[];
}

export const NODE_HEIGHT = 48;
const MIN_WIDTH = 132;
const MAX_WIDTH = 232;
/** Label font is ~13px; 7.4px per character is a safe average for the UI font. */
const CHAR_WIDTH = 7.4;
export const MAX_LABEL_CHARS = 28;

export function truncateLabel(s: string, max = MAX_LABEL_CHARS): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function nodeWidth(label: string, sublabel: string): number {
  const chars = Math.max(truncateLabel(label).length, truncateLabel(sublabel, MAX_LABEL_CHARS + 4).length * 0.85);
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, chars * CHAR_WIDTH + 40)));
}

/**
 * Builds the layout input. `relations` (canonical types) keeps only those edges; `hiddenKinds` drops nodes
 * of those kinds (never the root). Nodes no longer connected to the root after filtering are dropped, so
 * switching a relation off prunes the part of the graph it brought in.
 */
export function buildLayoutInput(
  graph: GraphResponse,
  opts: { root: string; relations?: readonly string[]; hiddenKinds?: readonly string[] },
): LayoutInput {
  const root = opts.root.toLowerCase();
  const hidden = new Set((opts.hiddenKinds ?? []).map((k) => k.toLowerCase()));
  const allowed = opts.relations ? new Set(opts.relations.map((r) => canonicalEdge({ source: "", target: "", type: r }).type.toLowerCase())) : null;

  const nodeByRef = new Map<string, GraphResponse["nodes"][number]>();
  for (const n of graph.nodes) {
    const ref = n.ref.toLowerCase();
    if (ref !== root && hidden.has(n.kind.toLowerCase())) continue;
    if (!nodeByRef.has(ref)) nodeByRef.set(ref, n);
  }

  const edges: LayoutEdgeInput[] = [];
  const seen = new Set<string>();
  for (const raw of graph.edges) {
    const e = canonicalEdge({ source: raw.source.toLowerCase(), type: raw.type, target: raw.target.toLowerCase() });
    if (e.source === e.target) continue;
    if (allowed && !allowed.has(e.type.toLowerCase())) continue;
    if (!nodeByRef.has(e.source) || !nodeByRef.has(e.target)) continue;
    const id = `${e.source}|${e.type}|${e.target}`;
    if (seen.has(id)) continue;
    seen.add(id);
    edges.push({ id, source: e.source, target: e.target, type: e.type });
  }

  // Keep what is still reachable from the root (edges taken in both directions).
  const adjacency = new Map<string, string[]>();
  for (const e of edges) {
    (adjacency.get(e.source) ?? adjacency.set(e.source, []).get(e.source)!).push(e.target);
    (adjacency.get(e.target) ?? adjacency.set(e.target, []).get(e.target)!).push(e.source);
  }
  const reachable = new Set<string>();
  if (nodeByRef.has(root)) {
    const stack = [root];
    reachable.add(root);
    while (stack.length) {
      const cur = stack.pop()!;
      for (const next of adjacency.get(cur) ?? []) {
        if (!reachable.has(next)) {
          reachable.add(next);
          stack.push(next);
        }
      }
    }
  } else {
    for (const ref of nodeByRef.keys()) reachable.add(ref);
  }

  const nodes: LayoutNodeInput[] = [];
  for (const [ref, n] of nodeByRef) {
    if (!reachable.has(ref)) continue;
    const label = n.title || n.name;
    const sublabel = `${n.kind.toLowerCase()} · ${humanizeRef({ kind: n.kind, namespace: n.namespace, name: n.name })}`;
    nodes.push({
      id: ref,
      label,
      kind: n.kind,
      sublabel,
      width: nodeWidth(label, sublabel),
      height: NODE_HEIGHT,
      root: ref === root,
      missing: Boolean(n.missing),
    });
  }
  return { nodes, edges: edges.filter((e) => reachable.has(e.source) && reachable.has(e.target)) };
}
