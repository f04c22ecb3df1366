/** A link to an entity page from a ref, with its kind badge; shows refs outside the catalog as plain text. */
import { A } from "@solidjs/router";
import { type JSX, Show } from "solid-js";
import { entityPath, humanizeRef, tryParseEntityRef } from "../lib/entity-ref";
import { KindBadge } from "./KindBadge";

export function EntityRefLink(props: { entityRef: string; title?: string; showKind?: boolean; missing?: boolean }): JSX.Element {
  const parsed = () => tryParseEntityRef(props.entityRef);
  const label = () => props.title || humanizeRef(props.entityRef);
  return (
    <span class="entity-ref">
      <Show when={props.showKind && parsed()}>
        <KindBadge kind={parsed()!.kind} size="sm" />
      </Show>
      <Show when={parsed() && !props.missing} fallback={<span class="entity-ref-missing" title="Not in the catalog">{label()}</span>}>
        <A href={entityPath(parsed()!)}>{label()}</A>
      </Show>
    </span>
  );
}
