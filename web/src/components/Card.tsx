/** A titled section of a page. */
import { type JSX, Show } from "solid-js";

export function Card(props: { title: string; id?: string; actions?: JSX.Element; children: JSX.Element; class?: string; count?: number }): JSX.Element {
  const headingId = () => (props.id ? `${props.id}-title` : undefined);
  return (
    <section class={`card${props.class ? ` ${props.class}` : ""}`} id={props.id} aria-labelledby={headingId()}>
      <header class="card-header">
        <h2 class="card-title" id={headingId()}>
          {props.title}
          <Show when={props.count !== undefined}>
            <span class="count-pill">{props.count}</span>
          </Show>
        </h2>
        <Show when={props.actions}>
          <div class="card-actions">{props.actions}</div>
        </Show>
      </header>
      <div class="card-body">{props.children}</div>
    </section>
  );
}
