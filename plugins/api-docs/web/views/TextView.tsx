/** Any other definition type (WSDL, RAML, trpc, ...) as plain text. */
import { type JSX, Show } from "solid-js";

export function TextView(props: { label: string; text: string; truncated?: boolean }): JSX.Element {
  return (
    <div class="code-block" data-testid="text-view">
      <div class="code-toolbar">
        <span class="muted small">{props.label}</span>
        <Show when={props.truncated}>
          <span class="muted small"> · truncated</span>
        </Show>
      </div>
      <pre class="code" tabindex="0" aria-label={props.label}>
        <code>{props.text}</code>
      </pre>
    </div>
  );
}
