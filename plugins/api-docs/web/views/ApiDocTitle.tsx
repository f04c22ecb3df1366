/** The title line of every definition view: title, version and what kind of document it is. */
import { type JSX, Show } from "solid-js";

export function ApiDocTitle(props: { doc: { title?: string; version?: string; specVersion: string } }): JSX.Element {
  return (
    <div class="api-doc-title">
      <h2>{props.doc.title ?? "Untitled API"}</h2>
      <Show when={props.doc.version}>
        <span class="chip">v{props.doc.version}</span>
      </Show>
      <span class="chip chip-muted">{props.doc.specVersion}</span>
    </div>
  );
}
