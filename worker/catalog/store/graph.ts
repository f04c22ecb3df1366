/**
 * The relations graph around one entity, walked in SQL (recursive CTE) so a page asks once. Each pair of
 * relation halves becomes one edge in its forward direction (ownedBy, not ownerOf).
 */
import type { GraphEdge, GraphNode } from "../../../contract/catalog-api";

const FORWARD: Record<string, string> = {
  ownerOf: "ownedBy",
  dependencyOf: "dependsOn",
  apiProvidedBy: "providesApi",
  apiConsumedBy: "consumesApi",
  hasPart: "partOf",
  hasMember: "memberOf",
  parentOf: "childOf",
};

/** Relation types are user input (`?relations=constructor`): only FORWARD's own entries count. */
const forwardOf = (type: string): string | undefined => (Object.hasOwn(FORWARD, type) ? FORWARD[type] : undefined);

export type { GraphEdge, GraphNode };

export async function getGraph(
  db: D1Database,
  q: { root: string; depth: number; relations?: string[]; maxNodes: number },
): Promise<{ nodes: GraphNode[]; edges: GraphEdge[]; truncated: boolean }> {
  const root = q.root.toLowerCase();
  // Filtering by a forward type must also follow its inverse half, and the other way round.
  const types = q.relations?.length
    ? JSON.stringify([...new Set(q.relations.flatMap((t) => [t, forwardOf(t), ...Object.keys(FORWARD).filter((k) => FORWARD[k] === t)]).filter(Boolean))])
    : null;
  // The walk follows both halves of each stored pair (relation_pairs, migration 0015) as two recursive
  // steps: through the "relations" view, SQLite would materialize every half on each step.
  const walk = `WITH RECURSIVE walk(ref, depth) AS (
      SELECT ?1, 0
      UNION
      SELECT p.other_ref, w.depth + 1 FROM walk w JOIN relation_pairs p ON p.origin_ref = w.ref
      WHERE w.depth < ?2 AND (?3 IS NULL OR p.type IN (SELECT value FROM json_each(?3)))
      UNION
      SELECT p.origin_ref, w.depth + 1 FROM walk w JOIN relation_pairs p ON p.other_ref = w.ref
      WHERE w.depth < ?2 AND (?3 IS NULL OR p.reverse_type IN (SELECT value FROM json_each(?3)))
    ), nodes AS (SELECT ref, min(depth) AS depth FROM walk GROUP BY ref ORDER BY min(depth), ref LIMIT ?4)`;
  const params = [root, q.depth, types, q.maxNodes + 1];
  const [nodeRes, edgeRes] = await db.batch([
    db.prepare(`${walk} SELECT n.ref, n.depth, e.kind, e.namespace, e.name, e.title FROM nodes n LEFT JOIN entities e ON e.ref = n.ref`).bind(...params),
    db.prepare(
      `${walk} SELECT DISTINCT r.source_ref AS source, r.type, r.target_ref AS target FROM relations r
       WHERE r.source_ref IN (SELECT ref FROM nodes) AND r.target_ref IN (SELECT ref FROM nodes)
       AND (?3 IS NULL OR r.type IN (SELECT value FROM json_each(?3)))`,
    ).bind(...params),
  ]);
  type NodeRow = { ref: string; depth: number; kind: string | null; namespace: string | null; name: string | null; title: string | null };
  const rows = nodeRes.results as NodeRow[];
  const truncated = rows.length > q.maxNodes;
  const nodes: GraphNode[] = rows.slice(0, q.maxNodes).map((r) => {
    if (r.kind) return { ref: r.ref, kind: r.kind, namespace: r.namespace!, name: r.name!, depth: r.depth, ...(r.title ? { title: r.title } : {}) };
    // A ref no entity answers to yet: show it, marked missing, parsed from the ref itself.
    const m = /^([^:]+):([^/]+)\/(.+)$/.exec(r.ref);
    return { ref: r.ref, kind: m?.[1] ?? "unknown", namespace: m?.[2] ?? "default", name: m?.[3] ?? r.ref, depth: r.depth, missing: true };
  });
  const kept = new Set(nodes.map((n) => n.ref));
  const edges = new Map<string, GraphEdge>();
  for (const e of edgeRes.results as GraphEdge[]) {
    if (!kept.has(e.source) || !kept.has(e.target)) continue;
    const forward = forwardOf(e.type);
    const edge = forward ? { source: e.target, type: forward, target: e.source } : e;
    edges.set(`${edge.source}|${edge.type}|${edge.target}`, edge);
  }
  return { nodes, edges: [...edges.values()], truncated };
}
