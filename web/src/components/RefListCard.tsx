/** A card listing one or more relation types' targets (members, groups, provided APIs, ...). */
import { For, type JSX, Show } from "solid-js";
import type { RelatedMap } from "../lib/create-related";
import { compareKinds } from "../lib/kinds";
import { targetsOf } from "../lib/relations";
import type { Entity, PartialEntity } from "../../../contract/entity";
import { Card } from "./Card";
import { EmptyState } from "./EmptyState";
import { EntityListItem } from "./EntityListItem";
import { EntityRefLink } from "./EntityRefLink";
import { SkeletonLines } from "./Skeleton";

export function RefListCard(props: { title: string; id: string; entity: Entity; types: string[]; related: RelatedMap | undefined; empty: string; showKind?: boolean; hideWhenEmpty?: boolean }): JSX.Element {
  const refs = () => props.types.flatMap((t) => targetsOf(props.entity.relations, t));
  const found = (): PartialEntity[] =>
    refs()
      .map((r) => props.related?.get(r))
      .filter((e): e is PartialEntity => Boolean(e))
      .sort((a, b) => compareKinds(a.kind ?? "", b.kind ?? ""));
  const missing = () => (props.related ? refs().filter((r) => props.related!.get(r) === null) : []);
  return (
    <Show when={!props.hideWhenEmpty || refs().length > 0}>
    <Card title={props.title} id={props.id} count={refs().length}>
      <Show when={refs().length > 0} fallback={<EmptyState compact icon="users" title={props.empty} />}>
        <Show when={props.related} fallback={<SkeletonLines lines={Math.min(refs().length, 4)} />}>
          <ul class="entity-list">
            <For each={found()}>{(e) => <EntityListItem entity={e} showKind={props.showKind} />}</For>
            <For each={missing()}>
              {(r) => (
                <li class="entity-list-item">
                  <EntityRefLink entityRef={r} showKind missing />
                  <span class="chip chip-warning">missing</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </Card>
    </Show>
  );
}
