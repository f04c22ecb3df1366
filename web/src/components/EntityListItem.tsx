/** A compact entity row for cards: kind badge, linked title, type and description. */
import { A } from "@solidjs/router";
import { type JSX, Show } from "solid-js";
import { displayName, entityPathOf, entityRefOf } from "../lib/entity-ref";
import type { PartialEntity } from "../../../contract/entity";
import { KindBadge } from "./KindBadge";
import { StarButton } from "./StarButton";

export function EntityListItem(props: { entity: PartialEntity; star?: boolean; showKind?: boolean }): JSX.Element {
  const type = () => (typeof props.entity.spec?.type === "string" ? (props.entity.spec.type as string) : undefined);
  return (
    <li class="entity-list-item">
      <Show when={props.showKind !== false}>
        <KindBadge kind={props.entity.kind} size="sm" />
      </Show>
      <div class="entity-list-main">
        <A href={entityPathOf(props.entity)} class="entity-list-title">
          {displayName(props.entity)}
        </A>
        <Show when={props.entity.metadata?.description}>
          <span class="entity-list-desc">{props.entity.metadata!.description}</span>
        </Show>
      </div>
      <Show when={type()}>
        <span class="chip chip-muted">{type()}</span>
      </Show>
      <Show when={props.star}>
        <StarButton size="sm" entityRef={entityRefOf(props.entity)} name={displayName(props.entity)} />
      </Show>
    </li>
  );
}
