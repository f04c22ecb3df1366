/** Nothing to show yet, with a sentence of guidance and optional actions. */
import { type JSX, Show } from "solid-js";
import { Icon } from "./Icon";

export function EmptyState(props: { icon?: string; title: string; children?: JSX.Element; actions?: JSX.Element; compact?: boolean }): JSX.Element {
  return (
    <div class={`empty-state${props.compact ? " empty-state-compact" : ""}`}>
      <span class="empty-state-icon">
        <Icon name={props.icon ?? "box"} size={props.compact ? 20 : 28} />
      </span>
      <p class="empty-state-title">{props.title}</p>
      <Show when={props.children}>
        <div class="empty-state-text">{props.children}</div>
      </Show>
      <Show when={props.actions}>
        <div class="empty-state-actions">{props.actions}</div>
      </Show>
    </div>
  );
}
