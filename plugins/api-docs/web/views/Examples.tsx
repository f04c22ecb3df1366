/** Example payloads (given by the document, or made up from the schema and labelled so). */
import { For, type JSX, Show } from "solid-js";

export function Examples(props: { examples: readonly { name: string; summary?: string; value: string; generated?: boolean }[] }): JSX.Element {
  return (
    <Show when={props.examples.length > 0}>
      <div class="api-examples">
        <For each={props.examples}>
          {(ex) => (
            <details class="api-example" data-testid="api-example">
              <summary>
                <span class="muted small">{ex.generated ? "Example (from the schema)" : ex.name === "Example" ? "Example" : `Example: ${ex.name}`}</span>
                <Show when={ex.summary}>
                  <span class="muted small"> · {ex.summary}</span>
                </Show>
              </summary>
              <pre class="code" tabindex="0">
                <code>{ex.value}</code>
              </pre>
            </details>
          )}
        </For>
      </div>
    </Show>
  );
}
