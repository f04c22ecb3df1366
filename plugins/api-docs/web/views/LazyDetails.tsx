/** A `<details>` whose body renders the first time it opens: a 500-operation document costs 500 summaries. */
import { createSignal, type JSX, Show } from "solid-js";

export function LazyDetails(props: { class?: string; id?: string; open?: boolean; testId?: string; summary: JSX.Element; body: () => JSX.Element }): JSX.Element {
  const [opened, setOpened] = createSignal(props.open ?? false);
  return (
    <details class={props.class} id={props.id} open={props.open} data-testid={props.testId} onToggle={(e) => e.currentTarget.open && setOpened(true)}>
      <summary class="operation-summary">{props.summary}</summary>
      <Show when={opened()}>{props.body()}</Show>
    </details>
  );
}
