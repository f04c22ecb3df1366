/** OpenAPI / Swagger viewer: overview, operations by tag (params, bodies, responses) and named schemas. */
import { createMemo, createSignal, For, type JSX, Show } from "solid-js";
import type { OpenApiSummary, OperationInfo } from "../lib/openapi";
import { Icon } from "./Icon";
import { ApiDocTitle } from "./ApiDocTitle";
import { Markdown } from "./Markdown";
import { jumpTo, schemaAnchor, SchemaView, TypeLabel } from "./SchemaView";

function opAnchor(op: OperationInfo): string {
  return `op-${op.method}-${op.path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

function statusClass(status: string): string {
  const c = status[0];
  return c === "2" ? "ok" : c === "3" ? "redirect" : c === "4" ? "client" : c === "5" ? "server" : "other";
}

function Operation(props: { op: OperationInfo }): JSX.Element {
  const op = () => props.op;
  return (
    <details class="operation" id={opAnchor(op())} data-testid="api-operation">
      <summary class="operation-summary">
        <span class={`method method-${op().method}`}>{op().method.toUpperCase()}</span>
        <code class="operation-path">{op().path}</code>
        <span class="operation-title">{op().summary ?? op().operationId ?? ""}</span>
        <Show when={op().deprecated}>
          <span class="chip chip-warning">deprecated</span>
        </Show>
        <Icon name="chevronDown" size={16} class="operation-chevron" />
      </summary>
      <div class="operation-body">
        <Show when={op().operationId}>
          <p class="muted small">
            Operation ID <code>{op().operationId}</code>
          </p>
        </Show>
        <Show when={op().description}>
          <Markdown text={op().description} />
        </Show>
        <Show when={op().parameters.length > 0}>
          <h4 class="operation-section">Parameters</h4>
          <div class="table-wrap">
            <table class="params-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">In</th>
                  <th scope="col">Type</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                <For each={op().parameters}>
                  {(p) => (
                    <tr>
                      <td>
                        <code>{p.name}</code>
                        <Show when={p.required}>
                          <span class="required">required</span>
                        </Show>
                      </td>
                      <td>{p.in}</td>
                      <td>
                        <TypeLabel schema={p.schema} />
                      </td>
                      <td>{p.description ?? ""}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
        <Show when={op().requestBody}>
          {(body) => (
            <>
              <h4 class="operation-section">
                Request body <Show when={body().required}><span class="required">required</span></Show>
              </h4>
              <Show when={body().description}>
                <p>{body().description}</p>
              </Show>
              <For each={body().content}>
                {(c) => (
                  <div class="media">
                    <span class="chip chip-muted">{c.mediaType}</span>
                    <SchemaView schema={c.schema} />
                  </div>
                )}
              </For>
            </>
          )}
        </Show>
        <Show when={op().responses.length > 0}>
          <h4 class="operation-section">Responses</h4>
          <ul class="responses">
            <For each={op().responses}>
              {(r) => (
                <li class="response">
                  <div class="response-head">
                    <span class={`status status-${statusClass(r.status)}`}>{r.status}</span>
                    <span>{r.description ?? ""}</span>
                  </div>
                  <For each={r.content}>
                    {(c) => (
                      <div class="media">
                        <span class="chip chip-muted">{c.mediaType}</span>
                        <SchemaView schema={c.schema} />
                      </div>
                    )}
                  </For>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>
    </details>
  );
}

export function OpenApiView(props: { doc: OpenApiSummary }): JSX.Element {
  const [filter, setFilter] = createSignal("");
  const groups = createMemo(() => {
    const f = filter().trim().toLowerCase();
    if (!f) return props.doc.groups;
    return props.doc.groups
      .map((g) => ({ ...g, operations: g.operations.filter((o) => `${o.method} ${o.path} ${o.summary ?? ""} ${o.operationId ?? ""}`.toLowerCase().includes(f)) }))
      .filter((g) => g.operations.length > 0);
  });
  return (
    <div class="api-doc openapi" data-testid="openapi-view">
      <header class="api-doc-header">
        <ApiDocTitle doc={props.doc} />
        <Show when={props.doc.servers.length > 0}>
          <p class="api-servers">
            <span class="fact-label">Servers</span>
            <For each={props.doc.servers}>{(s) => <code>{s}</code>}</For>
          </p>
        </Show>
        <Show when={props.doc.description}>
          <Markdown text={props.doc.description} class="api-description" />
        </Show>
      </header>

      <div class="api-doc-layout">
        <nav class="api-nav" aria-label="Operations">
          <input type="search" class="facet-filter" placeholder="Filter operations…" aria-label="Filter operations" value={filter()} onInput={(e) => setFilter(e.currentTarget.value)} />
          <For each={groups()}>
            {(g) => (
              <div class="api-nav-group">
                <p class="api-nav-tag">{g.tag}</p>
                <ul>
                  <For each={g.operations}>
                    {(op) => (
                      <li>
                        <a
                          href={`#${opAnchor(op)}`}
                          onClick={(e) => {
                            e.preventDefault();
                            jumpTo(opAnchor(op));
                          }}
                        >
                          <span class={`method method-sm method-${op.method}`}>{op.method.toUpperCase()}</span>
                          <span class="api-nav-path">{op.path}</span>
                        </a>
                      </li>
                    )}
                  </For>
                </ul>
              </div>
            )}
          </For>
          <Show when={props.doc.schemas.length > 0}>
            <p class="api-nav-tag">Schemas</p>
            <ul>
              <For each={props.doc.schemas}>
                {(s) => (
                  <li>
                    <a
                      href={`#${schemaAnchor(s.name)}`}
                      onClick={(e) => {
                        e.preventDefault();
                        jumpTo(schemaAnchor(s.name));
                      }}
                    >
                      <span class="api-nav-path">{s.name}</span>
                    </a>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </nav>

        <div class="api-main">
          <p class="muted small">
            {props.doc.operations.length} operation{props.doc.operations.length === 1 ? "" : "s"} · {props.doc.schemas.length} schema{props.doc.schemas.length === 1 ? "" : "s"}
          </p>
          <Show when={groups().length > 0} fallback={<p class="muted">No operations match “{filter()}”.</p>}>
            <For each={groups()}>
              {(g) => (
                <section class="api-group">
                  <h3 class="api-group-title">{g.tag}</h3>
                  <Show when={g.description}>
                    <p class="muted">{g.description}</p>
                  </Show>
                  <For each={g.operations}>{(op) => <Operation op={op} />}</For>
                </section>
              )}
            </For>
          </Show>
          <Show when={props.doc.schemas.length > 0}>
            <section class="api-group">
              <h3 class="api-group-title">Schemas</h3>
              <For each={props.doc.schemas}>
                {(s) => (
                  <details class="operation schema-section" id={schemaAnchor(s.name)}>
                    <summary class="operation-summary">
                      <code class="operation-path">{s.name}</code>
                      <span class="operation-title">
                        <TypeLabel schema={{ ...(s.schema as object), $ref: undefined }} />
                      </span>
                      <Icon name="chevronDown" size={16} class="operation-chevron" />
                    </summary>
                    <div class="operation-body">
                      <SchemaView schema={s.schema} />
                    </div>
                  </details>
                )}
              </For>
            </section>
          </Show>
        </div>
      </div>
    </div>
  );
}
