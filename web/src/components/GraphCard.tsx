/** The relation graph on an entity's overview (depth 1–2), with a link to the full explorer. */
import { A } from "@solidjs/router";
import { createSignal, For, type JSX } from "solid-js";
import { GRAPH_RELATIONS } from "../lib/graph-model";
import { Card } from "./Card";
import { Icon } from "./Icon";
import { lazyView } from "./LazyView";
import { Skeleton } from "./Skeleton";

const RelationsGraph = lazyView(() => import("./RelationsGraph"));

export const DEFAULT_GRAPH_RELATIONS = GRAPH_RELATIONS.map((r) => r.type);

export function GraphCard(props: { entityRef: string }): JSX.Element {
  const [depth, setDepth] = createSignal(1);
  return (
    <Card
      title="Relations graph"
      id="graph"
      class="graph-card"
      actions={
        <>
          <div class="segmented segmented-sm" role="group" aria-label="Graph depth">
            <For each={[1, 2]}>
              {(d) => (
                <button type="button" aria-pressed={depth() === d} onClick={() => setDepth(d)}>
                  {d === 1 ? "Direct" : "2 hops"}
                </button>
              )}
            </For>
          </div>
          <A class="button button-ghost" href={`/graph?root=${encodeURIComponent(props.entityRef)}&depth=${depth()}`}>
            <Icon name="graph" size={15} /> Open explorer
          </A>
        </>
      }
    >
      <RelationsGraph root={props.entityRef} depth={depth()} relations={DEFAULT_GRAPH_RELATIONS} height="460px" fallback={<Skeleton height="460px" class="graph-skeleton" />} />
    </Card>
  );
}
