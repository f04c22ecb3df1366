/** AsyncAPI viewer: servers, then each channel with its operations and message payloads. */
import { For, type JSX, Show } from "solid-js";
import type { AsyncApiSummary } from "../lib/asyncapi";
import { ApiDocTitle } from "./ApiDocTitle";
import { Markdown } from "./Markdown";
import { SchemaView } from "./SchemaView";

export function AsyncApiView(props: { doc: AsyncApiSummary }): JSX.Element {
  return (
    <div class="api-doc asyncapi" data-testid="asyncapi-view">
      <header class="api-doc-header">
        <ApiDocTitle doc={props.doc} />
        <Show when={props.doc.description}>
          <Markdown text={props.doc.description} class="api-description" />
        </Show>
        <Show when={props.doc.servers.length > 0}>
          <ul class="api-server-list">
            <For each={props.doc.servers}>
              {(s) => (
                <li>
                  <strong>{s.name}</strong> <code>{s.url}</code>
                  <Show when={s.protocol}>
                    <span class="chip chip-muted">{s.protocol}</span>
                  </Show>
                  <Show when={s.description}>
                    <span class="muted"> {s.description}</span>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </header>
      <p class="muted small">{props.doc.channels.length} channels</p>
      <For each={props.doc.channels}>
        {(c) => (
          <section class="channel" data-testid="asyncapi-channel">
            <h3 class="channel-name">
              <code>{c.address}</code>
            </h3>
            <Show when={c.description}>
              <p class="muted">{c.description}</p>
            </Show>
            <Show when={c.parameters.length > 0}>
              <p class="small">
                <span class="fact-label">Parameters</span>{" "}
                <For each={c.parameters}>
                  {(p) => (
                    <span class="param-inline">
                      <code>{p.name}</code>
                      <Show when={p.description}> {p.description}</Show>
                    </span>
                  )}
                </For>
              </p>
            </Show>
            <For each={c.operations}>
              {(op) => (
                <details class="operation" open={c.operations.length === 1}>
                  <summary class="operation-summary">
                    <span class={`method method-${op.action}`}>{op.action.toUpperCase()}</span>
                    <span class="operation-title">{op.summary ?? op.operationId ?? ""}</span>
                  </summary>
                  <div class="operation-body">
                    <Show when={op.description}>
                      <Markdown text={op.description} />
                    </Show>
                    <For each={op.messages}>
                      {(m) => (
                        <div class="media">
                          <p>
                            <strong>{m.title ?? m.name ?? "Message"}</strong>
                            <Show when={m.contentType}>
                              {" "}
                              <span class="chip chip-muted">{m.contentType}</span>
                            </Show>
                          </p>
                          <Show when={m.summary}>
                            <p class="muted">{m.summary}</p>
                          </Show>
                          <Show when={m.payload}>
                            <SchemaView schema={m.payload} />
                          </Show>
                        </div>
                      )}
                    </For>
                  </div>
                </details>
              )}
            </For>
          </section>
        )}
      </For>
    </div>
  );
}
