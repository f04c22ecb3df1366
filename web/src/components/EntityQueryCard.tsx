/**
 * A card listing the entities a catalog query finds (owned entities, a system's parts, a domain's systems).
 * Cards that pass the same query share one request through the router's query cache.
 */
import { For, type JSX, Show } from "solid-js";
import { LIST_FIELDS, listEntities } from "../api/entities";
import { createData } from "../lib/create-data";
import { compareKinds } from "../lib/kinds";
import type { PartialEntity } from "../../../contract/entity";
import { Card } from "./Card";
import { DataView } from "./DataView";
import { EmptyState } from "./EmptyState";
import { EntityListItem } from "./EntityListItem";
import { formatCount } from "../lib/format";

const LIMIT = 200;

export function EntityQueryCard(props: { title: string; id: string; filter: string; kinds?: string[]; empty: string; wide?: boolean }): JSX.Element {
  const data = createData(
    () => props.filter,
    (filter) => listEntities({ filter: [filter], fields: LIST_FIELDS, orderField: ["metadata.name", "asc"], limit: LIMIT }),
  );
  const items = (): PartialEntity[] => {
    const all = data.value()?.items ?? [];
    const kinds = props.kinds?.map((k) => k.toLowerCase());
    const list = kinds ? all.filter((e) => kinds.includes((e.kind ?? "").toLowerCase())) : all;
    return [...list].sort((a, b) => compareKinds(a.kind ?? "", b.kind ?? ""));
  };
  return (
    <Card title={props.title} id={props.id} class={props.wide ? "card-wide" : undefined} count={data.value() ? items().length : undefined}>
      <DataView data={data}>
        {(res) => (
          <Show when={items().length > 0} fallback={<EmptyState compact title={props.empty} icon="box" />}>
            <ul class="entity-list" classList={{ "entity-list-grid": props.wide }}>
              <For each={items()}>{(e) => <EntityListItem entity={e} showKind={!props.kinds || props.kinds.length > 1} />}</For>
            </ul>
            <Show when={!props.kinds && res.totalItems > LIMIT}>
              <p class="muted small">Showing the first {LIMIT} of {formatCount(res.totalItems)}.</p>
            </Show>
          </Show>
        )}
      </DataView>
    </Card>
  );
}
