/** One entry of the change feed: what happened to which entity, when, by whom, from which commit. */
import { type JSX, Show } from "solid-js";
import { commitUrl } from "../lib/links";
import { exactTime, relativeTime, shortSha } from "../lib/time";
import type { ChangeItem } from "../../../contract/catalog-api";
import { EntityRefLink } from "./EntityRefLink";

const ACTION_LABEL: Record<ChangeItem["action"], string> = { added: "Added", updated: "Updated", removed: "Removed" };

export function ChangeAction(props: { action: ChangeItem["action"] }): JSX.Element {
  return <span class={`action-badge action-${props.action}`}>{ACTION_LABEL[props.action] ?? props.action}</span>;
}

export function ChangeRow(props: { change: ChangeItem; showEntity?: boolean }): JSX.Element {
  const c = () => props.change;
  const url = () => commitUrl(c().location, c().commitSha);
  return (
    <div class="change-row">
      <ChangeAction action={c().action} />
      <div class="change-main">
        <Show when={props.showEntity !== false}>
          <Show when={c().action !== "removed"} fallback={<span class="entity-ref-missing">{c().entityRef}</span>}>
            <EntityRefLink entityRef={c().entityRef} showKind />
          </Show>
        </Show>
        <span class="change-meta">
          <time datetime={c().createdAt} title={exactTime(c().createdAt)}>
            {relativeTime(c().createdAt)}
          </time>
          <Show when={c().actor}>
            <span> · by {c().actor}</span>
          </Show>
          <Show when={c().commitSha}>
            <span>
              {" · "}
              <Show when={url()} fallback={<code>{shortSha(c().commitSha)}</code>}>
                <a href={url()!} target="_blank" rel="noreferrer">
                  <code>{shortSha(c().commitSha)}</code>
                </a>
              </Show>
            </span>
          </Show>
          <Show when={c().diff && c().diff!.length > 0}>
            <span>
              {" · "}
              {c().diff!.length} field{c().diff!.length === 1 ? "" : "s"}
            </span>
          </Show>
        </span>
        <Show when={props.showEntity === false && c().location}>
          <span class="change-location" title={c().location!}>
            {c().location!.replace(/^url:https?:\/\/[^/]+\//, "").replace(/^file:/, "")}
          </span>
        </Show>
      </div>
    </div>
  );
}
