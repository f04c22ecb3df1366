/** AsyncAPI: servers, then each channel with its operations and messages (payload, headers, examples). */
import { createMemo, createSignal, For, type JSX, Show } from "solid-js";
import { Icon, Markdown } from "../../../../web/src/plugin-kit";
import type { AsyncApiSummary, AsyncMessage } from "../../lib/asyncapi";
import type { Json } from "../../lib/json";
import { buildSchemaTree } from "../../lib/schema";
import { ApiDocTitle } from "./ApiDocTitle";
import { Examples } from "./Examples";
import { LazyDetails } from "./LazyDetails";
import { SchemaTree } from "./SchemaTree";

function Message(props: { doc: Json; message: AsyncMessage; defaultContentType?: string }): JSX.Element {
  const m = () => props.message;
  const payload = createMemo(() => (m().payload === undefined ? undefined : buildSchemaTree(props.doc, m().payload)));
  const headers = createMemo(() => (m().headers === undefined ? undefined : buildSchemaTree(props.doc, m().headers)));
  return (
    <div class="media" data-testid="asyncapi-message">
      <p>
        <strong>{m().title ?? m().name ?? "Message"}</strong>
        <Show when={m().title && m().name}>
          {" "}
          <code class="muted small">{m().name}</code>
        </Show>{" "}
        <span class="chip chip-muted">{m().contentType ?? props.defaultContentType ?? "application/json"}</span>
      </p>
      <Show when={m().summary}>
        <p class="muted">{m().summary}</p>
      </Show>
      <Show when={m().description}>
        <Markdown text={m().description} />
      </Show>
      <Show when={headers()}>
        {(h) => (
          <>
            <h5 class="operation-section">Headers</h5>
            <SchemaTree node={h()} />
          </>
        )}
      </Show>
      <Show when={payload()}>
        {(p) => (
          <>
            <h5 class="operation-section">Payload</h5>
            <SchemaTree node={p()} />
          </>
        )}
      </Show>
      <Examples examples={m().examples} />
    </div>
  );
}

export function AsyncApiView(props: { summary: AsyncApiSummary; doc: Json }): JSX.Element {
  const s = () => props.summary;
  const [filter, setFilter] = createSignal("");
  const channels = createMemo(() => {
    const f = filter().trim().toLowerCase();
    if (!f) return s().channels;
    return s().channels.filter((c) => `${c.name} ${c.address} ${c.description ?? ""} ${c.operations.map((o) => `${o.action} ${o.operationId ?? ""} ${o.summary ?? ""} ${o.messages.map((m) => m.name ?? "").join(" ")}`).join(" ")}`.toLowerCase().includes(f));
  });
  return (
    <div class="api-doc asyncapi" data-testid="asyncapi-view">
      <header class="api-doc-header">
        <ApiDocTitle doc={s()} />
        <Show when={s().description}>
          <Markdown text={s().description} class="api-description" />
        </Show>
        <Show when={s().servers.length > 0}>
          <ul class="api-server-list" aria-label="Servers">
            <For each={s().servers}>
              {(srv) => (
                <li data-testid="api-server">
                  <strong>{srv.name}</strong> <code>{srv.url}</code>
                  <Show when={srv.protocol}>
                    <span class="chip chip-muted">{srv.protocol}</span>
                  </Show>
                  <Show when={srv.description}>
                    <span class="muted"> {srv.description}</span>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </header>
      <div class="api-toolbar">
        <input type="search" class="facet-filter" placeholder="Filter channels…" aria-label="Filter channels" value={filter()} onInput={(e) => setFilter(e.currentTarget.value)} />
        <span class="muted small" data-testid="api-counts">
          {s().channels.length} channel{s().channels.length === 1 ? "" : "s"} · {s().channels.reduce((n, c) => n + c.operations.length, 0)} operations
        </span>
      </div>
      <Show when={channels().length > 0} fallback={<p class="muted">{s().channels.length ? `No channels match “${filter()}”.` : "This document defines no channels."}</p>}>
        <For each={channels()}>
          {(c) => (
            <section class="channel" data-testid="asyncapi-channel">
              <h3 class="channel-name">
                <code>{c.address}</code>
                <Show when={c.address !== c.name}>
                  <span class="muted small"> {c.name}</span>
                </Show>
              </h3>
              <Show when={c.description}>
                <Markdown text={c.description} />
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
                  <LazyDetails
                    class="operation"
                    testId="asyncapi-operation"
                    open={c.operations.length === 1 && s().channels.length <= 10}
                    summary={
                      <>
                        <span class={`method method-${op.action}`}>{op.action.toUpperCase()}</span>
                        <span class="operation-title">{op.summary ?? op.operationId ?? ""}</span>
                        <Show when={op.operationId && op.summary}>
                          <code class="muted small">{op.operationId}</code>
                        </Show>
                        <Icon name="chevronDown" size={16} class="operation-chevron" />
                      </>
                    }
                    body={() => (
                      <div class="operation-body">
                        <Show when={op.description}>
                          <Markdown text={op.description} />
                        </Show>
                        <Show when={op.messages.length > 0} fallback={<p class="muted small">No messages declared.</p>}>
                          <For each={op.messages}>{(m) => <Message doc={props.doc} message={m} defaultContentType={s().defaultContentType} />}</For>
                        </Show>
                      </div>
                    )}
                  />
                )}
              </For>
              <Show when={c.operations.length === 0 && c.messages.length > 0}>
                <For each={c.messages}>{(m) => <Message doc={props.doc} message={m} defaultContentType={s().defaultContentType} />}</For>
              </Show>
            </section>
          )}
        </For>
      </Show>
    </div>
  );
}
