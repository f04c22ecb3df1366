/**
 * The relation graph of one entity: fetched from /graph, filtered, laid out with dagre and drawn by
 * GraphCanvas. Default export, lazily loaded, so dagre is only downloaded when a graph is shown.
 */
import { useNavigate } from "@solidjs/router";
import { createMemo, type JSX, Show } from "solid-js";
import { getGraph } from "../api/graph";
import { entityPath } from "../lib/entity-ref";
import { layoutGraph, type PositionedNode } from "../lib/graph-layout";
import { buildLayoutInput, relationTypesFor } from "../lib/graph-model";
import { createData } from "../lib/create-data";
import { DataView } from "./DataView";
import { EmptyState } from "./EmptyState";
import { GraphCanvas } from "./GraphCanvas";
import { Icon } from "./Icon";
import { Skeleton } from "./Skeleton";

export interface RelationsGraphProps {
  root: string;
  depth: number;
  /** Canonical relation types to show (both halves of each pair are requested). */
  relations: readonly string[];
  hiddenKinds?: readonly string[];
  direction?: "LR" | "TB";
  height: string;
  /** Default: open the entity page. */
  onActivate?: (node: PositionedNode) => void;
}

function Graph(props: RelationsGraphProps): JSX.Element {
  const navigate = useNavigate();
  const graph = createData(
    () => ({ root: props.root, depth: props.depth, relations: relationTypesFor(props.relations), maxNodes: 300 }),
    (q) => getGraph(q),
  );
  const layout = createMemo(() => {
    const g = graph.value();
    if (!g) return undefined;
    const input = buildLayoutInput(g, { root: props.root, relations: props.relations, hiddenKinds: props.hiddenKinds });
    return layoutGraph(input, { rankdir: props.direction ?? "LR" });
  });
  return (
    <DataView data={graph} fallback={<Skeleton height={props.height} class="graph-skeleton" />}>
      {() => (
      <Show when={layout()}>
      {(l) => (
        <Show
          when={l().nodes.length > 1}
          fallback={
            <Show
              when={!graph.value()?.nodes.find((n) => n.ref.toLowerCase() === props.root.toLowerCase())?.missing}
              fallback={
                <EmptyState compact icon="graph" title={`${props.root} is not in the catalog`}>
                  <p>Pick another entity, or check the reference for typos.</p>
                </EmptyState>
              }
            >
              <EmptyState compact icon="graph" title="No related entities">
                <p>Nothing is connected to this entity through the selected relations.</p>
              </EmptyState>
            </Show>
          }
        >
          <Show when={graph.value()?.truncated}>
            <p class="hint">
              <Icon name="info" size={14} /> The graph was cut at 300 entities. Lower the depth or switch off some relations to see the rest.
            </p>
          </Show>
          <GraphCanvas
            layout={l()}
            height={props.height}
            label={`Relations of ${props.root}: ${l().nodes.length} entities, ${l().edges.length} relations`}
            onActivate={(n) => (props.onActivate ? props.onActivate(n) : navigate(entityPath(n.id)))}
          />
          <p class="muted small graph-stats">
            {l().nodes.length} entities · {l().edges.length} relations · drag to pan, scroll or +/− to zoom
          </p>
        </Show>
      )}
      </Show>
      )}
    </DataView>
  );
}

export default function RelationsGraph(props: RelationsGraphProps): JSX.Element {
  return <Graph {...props} />;
}
