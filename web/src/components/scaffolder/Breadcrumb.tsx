/** The trail above scaffolder pages (Create / … / here), in the entity header's list form. */
import { A } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";

export function Breadcrumb(props: { items: { href?: string; label: string }[] }): JSX.Element {
  return (
    <nav aria-label="Breadcrumb" class="breadcrumb">
      <ol>
        <For each={props.items}>
          {(item) => (
            <Show when={item.href} fallback={<li aria-current="page">{item.label}</li>}>
              {(href) => (
                <li>
                  <A href={href()}>{item.label}</A>
                </li>
              )}
            </Show>
          )}
        </For>
      </ol>
    </nav>
  );
}
