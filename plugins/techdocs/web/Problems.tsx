/** Build problems of a site (bad mkdocs.yml, nav entries without a page, oversize pages), shown with its docs. */
import { For, type JSX, Show } from "solid-js";
import type { Problem } from "./types";

export function Problems(props: { problems: readonly Problem[]; title?: string }): JSX.Element {
  return (
    <Show when={props.problems.length > 0}>
      <div class="techdocs-problems" role="alert" data-testid="techdocs-problems">
        <strong>{props.title ?? `The last docs build reported ${props.problems.length} problem${props.problems.length === 1 ? "" : "s"}`}</strong>
        <ul>
          <For each={props.problems}>
            {(p) => (
              <li>
                <code>{p.name}</code> {p.file ? <span class="muted">{p.file}: </span> : null}
                {p.message}
              </li>
            )}
          </For>
        </ul>
      </div>
    </Show>
  );
}
