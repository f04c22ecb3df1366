/**
 * A card listing the entities a catalog query finds (owned entities, a system's parts, a domain's systems).
 * Cards that pass the same query share one request through the router's query cache.
 */
import { createAsync } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import { LIST_FIELDS, listEntities } from "../api/entities";
import { compareKinds } from "../lib/kinds";
import type { PartialEntity } from "../types";
import { Boundary } from "./Boundary";
import { Card } from "./Card";
import { EmptyState } from "./EmptyState";
import { EntityListItem } from "./EntityListItem";

const LIMIT = 200;

function Rows(props: { filter: string; kinds?: string[]; empty: string }): JSX.Element {
  const res = createAsync(() => listEntities({ filter: [props.filter], fields: LIST_FIELDS, orderField: ["metadata.name", "asc"], limit: LIMIT }));
  const items = (): PartialEntity[] => {
    const all = res()?.items ?? [];
    const kinds = props.kinds?.map((k) => k.toLowerCase());
    const list = kinds ? all.filter((e) => kinds.includes((e.kind ?? "").toLowerCase())) : all;
    return [...list].sort((a, b) => compareKinds(a.kind ?? "", b.kind ?? ""));
  };
  return (
    <Show
      when={items().length > 0}
      fallback={
        <EmptyState compact title={props.empty} icon="box" />
      }
    >
      <ul class="entity-list">
        <For each={items()}>{(e) => <EntityListItem entity={e} showKind={!props.kinds || props.kinds.length > 1} />}</For>
      </ul>
      <Show when={!props.kinds && (res()?.totalItems ?? 0) > LIMIT}>
        <p class="muted small">Showing the first {LIMIT} of {res()!.totalItems.toLocaleString()}.</p>
      </Show>
    </Show>
  );
}

export function EntityQueryCard(props: { title: string; id: string; filter: string; kinds?: string[]; empty: string }): JSX.Element {
  return (
    <Card title={props.title} id={props.id}>
      <Boundary>
        <Rows filter={props.filter} kinds={props.kinds} empty={props.empty} />
      </Boundary>
    </Card>
  );
}
