/** OpenAPI / Swagger: overview, servers, security, operations by tag (parameters, bodies, responses, examples) and schemas. */
import { createMemo, createSignal, For, type JSX, Show } from "solid-js";
import { Icon, Markdown } from "../../../../web/src/plugin-kit";
import type { Json } from "../../lib/json";
import type { MediaInfo, OpenApiSummary, OperationInfo } from "../../lib/openapi";
import { buildSchemaTree, schemaTypeLabel } from "../../lib/schema";
import { ApiDocTitle } from "./ApiDocTitle";
import { anchorId, jumpHandler } from "./dom";
import { Examples } from "./Examples";
import { LazyDetails } from "./LazyDetails";
import { SchemaTree } from "./SchemaTree";

function statusClass(status: string): string {
  const c = status[0];
  return c === "2" ? "ok" : c === "3" ? "redirect" : c === "4" ? "client" : c === "5" ? "server" : "other";
}

function Media(props: { doc: Json; media: MediaInfo }): JSX.Element {
  const tree = createMemo(() => (props.media.schema === undefined ? undefined : buildSchemaTree(props.doc, props.media.schema)));
  return (
    <div class="media">
      <span class="chip chip-muted">{props.media.mediaType}</span>
      <Show when={tree()}>{(t) => <SchemaTree node={t()} />}</Show>
      <Examples examples={props.media.examples} />
    </div>
  );
}

function OperationBody(props: { doc: Json; op: OperationInfo }): JSX.Element {
  const op = () => props.op;
  return (
    <div class="operation-body">
      <Show when={op().operationId}>
        <p class="muted small">
          Operation ID <code>{op().operationId}</code>
        </p>
      </Show>
      <Show when={op().description}>
        <Markdown text={op().description} />
      </Show>
      <Show when={op().security.length > 0}>
        <p class="small">
          <span class="fact-label">Security</span> <For each={op().security}>{(s) => <span class="chip chip-muted">{s}</span>}</For>
        </p>
      </Show>
      <Show when={op().parameters.length > 0}>
        <h4 class="operation-section">Parameters</h4>
        <div class="table-wrap">
          <table class="params-table" data-testid="api-parameters">
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
                      <Show when={p.deprecated}>
                        <span class="chip chip-warning">deprecated</span>
                      </Show>
                    </td>
                    <td>{p.in}</td>
                    <td>
                      <code class="type-label">{schemaTypeLabel(p.schema)}</code>
                    </td>
                    <td>
                      {p.description ?? ""}
                      <Show when={p.example}>
                        <span class="muted small">
                          {" "}
                          Example <code>{p.example}</code>
                        </span>
                      </Show>
                    </td>
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
              Request body{" "}
              <Show when={body().required}>
                <span class="required">required</span>
              </Show>
            </h4>
            <Show when={body().description}>
              <p>{body().description}</p>
            </Show>
            <For each={body().content}>{(c) => <Media doc={props.doc} media={c} />}</For>
          </>
        )}
      </Show>
      <Show when={op().responses.length > 0}>
        <h4 class="operation-section">Responses</h4>
        <ul class="responses">
          <For each={op().responses}>
            {(r) => (
              <li class="response" data-testid="api-response">
                <div class="response-head">
                  <span class={`status status-${statusClass(r.status)}`}>{r.status}</span>
                  <span>{r.description ?? ""}</span>
                </div>
                <Show when={r.headers.length > 0}>
                  <p class="small">
                    <span class="fact-label">Headers</span>{" "}
                    <For each={r.headers}>
                      {(h) => (
                        <span class="param-inline" title={h.description}>
                          <code>{h.name}</code> <code class="type-label">{schemaTypeLabel(h.schema)}</code>
                        </span>
                      )}
                    </For>
                  </p>
                </Show>
                <For each={r.content}>{(c) => <Media doc={props.doc} media={c} />}</For>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}

export function OpenApiView(props: { summary: OpenApiSummary; doc: Json }): JSX.Element {
  const [filter, setFilter] = createSignal("");
  const opAnchor = (op: OperationInfo) => anchorId("op", `${op.method}-${op.path}`);
  const groups = createMemo(() => {
    const f = filter().trim().toLowerCase();
    if (!f) return props.summary.groups;
    return props.summary.groups
      .map((g) => ({ ...g, operations: g.operations.filter((o) => `${o.method} ${o.path} ${o.summary ?? ""} ${o.operationId ?? ""} ${g.tag}`.toLowerCase().includes(f)) }))
      .filter((g) => g.operations.length > 0);
  });
  const s = () => props.summary;
  return (
    <div class="api-doc openapi" data-testid="openapi-view">
      <header class="api-doc-header">
        <ApiDocTitle doc={s()} />
        <Show when={s().servers.length > 0}>
          <ul class="api-server-list" aria-label="Servers">
            <For each={s().servers}>
              {(srv) => (
                <li data-testid="api-server">
                  <code>{srv.url}</code>
                  <Show when={srv.description}>
                    <span class="muted"> {srv.description}</span>
                  </Show>
                  <For each={srv.variables}>
                    {(v) => (
                      <span class="param-inline muted small">
                        {" "}
                        <code>{`{${v.name}}`}</code> = {v.default ?? ""}
                        <Show when={v.enum.length > 0}> ({v.enum.join(", ")})</Show>
                      </span>
                    )}
                  </For>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={s().description}>
          <Markdown text={s().description} class="api-description" />
        </Show>
        <Show when={s().securitySchemes.length > 0}>
          <p class="small">
            <span class="fact-label">Security schemes</span>{" "}
            <For each={s().securitySchemes}>
              {(sec) => (
                <span class="param-inline" title={sec.description}>
                  <code>{sec.name}</code> {sec.type}
                  <Show when={sec.detail}> ({sec.detail})</Show>
                </span>
              )}
            </For>
          </p>
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
                        <a href={`#${opAnchor(op)}`} onClick={jumpHandler(opAnchor(op))}>
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
          <Show when={s().schemas.length > 0}>
            <p class="api-nav-tag">Schemas</p>
            <ul>
              <For each={s().schemas}>
                {(sc) => (
                  <li>
                    <a href={`#${anchorId("schema", sc.name)}`} onClick={jumpHandler(anchorId("schema", sc.name))}>
                      <span class="api-nav-path">{sc.name}</span>
                    </a>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </nav>

        <div class="api-main">
          <p class="muted small" data-testid="api-counts">
            {s().operations.length} operation{s().operations.length === 1 ? "" : "s"} · {s().schemas.length} schema{s().schemas.length === 1 ? "" : "s"}
            <Show when={s().truncated}> · only the first {s().operations.length} operations are shown</Show>
          </p>
          <Show when={groups().length > 0} fallback={<p class="muted">{s().operations.length ? `No operations match “${filter()}”.` : "This document defines no operations."}</p>}>
            <For each={groups()}>
              {(g) => (
                <section class="api-group">
                  <h3 class="api-group-title">{g.tag}</h3>
                  <Show when={g.description}>
                    <p class="muted">{g.description}</p>
                  </Show>
                  <For each={g.operations}>
                    {(op) => (
                      <LazyDetails
                        class="operation"
                        id={opAnchor(op)}
                        testId="api-operation"
                        summary={
                          <>
                            <span class={`method method-${op.method}`}>{op.method.toUpperCase()}</span>
                            <code class="operation-path">{op.path}</code>
                            <span class="operation-title">{op.summary ?? op.operationId ?? ""}</span>
                            <Show when={op.deprecated}>
                              <span class="chip chip-warning">deprecated</span>
                            </Show>
                            <Icon name="chevronDown" size={16} class="operation-chevron" />
                          </>
                        }
                        body={() => <OperationBody doc={props.doc} op={op} />}
                      />
                    )}
                  </For>
                </section>
              )}
            </For>
          </Show>
          <Show when={s().schemas.length > 0}>
            <section class="api-group">
              <h3 class="api-group-title">Schemas</h3>
              <For each={s().schemas}>
                {(sc) => (
                  <LazyDetails
                    class="operation schema-section"
                    id={anchorId("schema", sc.name)}
                    testId="api-schema"
                    summary={
                      <>
                        <code class="operation-path">{sc.name}</code>
                        <span class="operation-title">
                          <code class="type-label">{schemaTypeLabel(sc.schema)}</code>
                        </span>
                        <Icon name="chevronDown" size={16} class="operation-chevron" />
                      </>
                    }
                    body={() => (
                      <div class="operation-body">
                        <SchemaTree node={buildSchemaTree(props.doc, { $ref: sc.pointer })} />
                      </div>
                    )}
                  />
                )}
              </For>
            </section>
          </Show>
        </div>
      </div>
    </div>
  );
}
