/** gRPC / protobuf: services with their rpcs (streaming marked), messages with fields, enums with values. */
import { createMemo, createSignal, For, type JSX, Show } from "solid-js";
import type { ProtoFile } from "../../lib/proto";
import { anchorId, jumpHandler } from "./dom";

function TypeLink(props: { type: string; known: Map<string, string> }): JSX.Element {
  const target = () => props.known.get(props.type) ?? props.known.get(props.type.split(".").pop() ?? "");
  return (
    <Show when={target()} fallback={<code class="type-label">{props.type}</code>}>
      <a href={`#${target()}`} class="type-label type-ref" onClick={jumpHandler(target()!)}>
        <code>{props.type}</code>
      </a>
    </Show>
  );
}

export function ProtoView(props: { proto: ProtoFile; source: string; title?: string }): JSX.Element {
  const p = () => props.proto;
  const [showSource, setShowSource] = createSignal(false);
  // Fields name types relative to the package or nesting; match on the full name, then the last segment.
  const known = createMemo(() => {
    const m = new Map<string, string>();
    for (const x of [...p().messages, ...p().enums]) {
      const id = anchorId("proto", x.name);
      m.set(x.name, id);
      if (p().package) m.set(`${p().package}.${x.name}`, id);
      const last = x.name.split(".").pop()!;
      if (!m.has(last)) m.set(last, id);
    }
    return m;
  });
  return (
    <div class="api-doc proto" data-testid="proto-view">
      <header class="api-doc-header">
        <div class="api-doc-title">
          <h2>{props.title ?? p().package ?? "Protocol Buffers"}</h2>
          <Show when={p().package}>
            <span class="chip">package {p().package}</span>
          </Show>
          <span class="chip chip-muted">{p().syntax ?? "proto2"}</span>
        </div>
        <Show when={p().imports.length > 0}>
          <p class="small">
            <span class="fact-label">Imports</span> <For each={p().imports}>{(i) => <code class="param-inline">{i}</code>}</For>
          </p>
        </Show>
        <Show when={p().errors.length > 0}>
          <p class="chip chip-warning" title={p().errors.join("\n")}>
            {p().errors.length} statement{p().errors.length === 1 ? "" : "s"} could not be read: {p().errors[0]}
          </p>
        </Show>
      </header>
      <div class="api-toolbar">
        <span class="muted small" data-testid="api-counts">
          {p().services.length} service{p().services.length === 1 ? "" : "s"} · {p().services.reduce((n, s) => n + s.rpcs.length, 0)} rpcs · {p().messages.length} messages · {p().enums.length} enums
        </span>
        <button type="button" class="button button-secondary" aria-pressed={showSource()} onClick={() => setShowSource(!showSource())}>
          {showSource() ? "Hide .proto" : "Show .proto"}
        </button>
      </div>
      <Show when={showSource()}>
        <pre class="code" tabindex="0" aria-label="Protocol Buffers source">
          <code>{props.source}</code>
        </pre>
      </Show>
      <For each={p().services}>
        {(svc) => (
          <section class="api-group" data-testid="proto-service">
            <h3 class="api-group-title">
              <span class="gql-keyword">service</span> {svc.name}
            </h3>
            <Show when={svc.description}>
              <p class="muted pre-line">{svc.description}</p>
            </Show>
            <ul class="responses">
              <For each={svc.rpcs}>
                {(rpc) => (
                  <li class="response" data-testid="proto-rpc">
                    <div class="response-head">
                      <span class="method method-post">RPC</span>
                      <code class="operation-path">{rpc.name}</code>
                      <span>
                        (<Show when={rpc.requestStream}><span class="chip chip-muted">stream</span> </Show>
                        <TypeLink type={rpc.request} known={known()} />) → (<Show when={rpc.responseStream}><span class="chip chip-muted">stream</span> </Show>
                        <TypeLink type={rpc.response} known={known()} />)
                      </span>
                    </div>
                    <Show when={rpc.description}>
                      <p class="schema-desc pre-line">{rpc.description}</p>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </section>
        )}
      </For>
      <Show when={p().messages.length > 0}>
        <section class="api-group">
          <h3 class="api-group-title">Messages</h3>
          <For each={p().messages}>
            {(m) => (
              <section class="gql-type" id={anchorId("proto", m.name)} data-testid="proto-message">
                <h4 class="gql-type-title">
                  <span class="gql-keyword">message</span> <code>{m.name}</code>
                </h4>
                <Show when={m.description}>
                  <p class="muted pre-line">{m.description}</p>
                </Show>
                <Show when={m.fields.length > 0} fallback={<p class="muted small">No fields.</p>}>
                  <div class="table-wrap">
                    <table class="params-table">
                      <thead>
                        <tr>
                          <th scope="col">#</th>
                          <th scope="col">Field</th>
                          <th scope="col">Type</th>
                          <th scope="col">Description</th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={m.fields}>
                          {(f) => (
                            <tr>
                              <td class="muted">{f.number ?? ""}</td>
                              <td>
                                <code>{f.name}</code>
                                <Show when={f.oneof}>
                                  <span class="chip chip-muted">oneof {f.oneof}</span>
                                </Show>
                              </td>
                              <td>
                                <Show when={f.label && f.label !== "map"}>
                                  <span class="muted small">{f.label} </span>
                                </Show>
                                <TypeLink type={f.type} known={known()} />
                              </td>
                              <td class="pre-line">{f.description ?? ""}</td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </div>
                </Show>
              </section>
            )}
          </For>
        </section>
      </Show>
      <Show when={p().enums.length > 0}>
        <section class="api-group">
          <h3 class="api-group-title">Enums</h3>
          <For each={p().enums}>
            {(e) => (
              <section class="gql-type" id={anchorId("proto", e.name)} data-testid="proto-enum">
                <h4 class="gql-type-title">
                  <span class="gql-keyword">enum</span> <code>{e.name}</code>
                </h4>
                <Show when={e.description}>
                  <p class="muted pre-line">{e.description}</p>
                </Show>
                <ul class="schema-props">
                  <For each={e.values}>
                    {(v) => (
                      <li class="schema-prop">
                        <div class="schema-prop-head">
                          <code class="schema-prop-name">{v.name}</code> <span class="muted small">= {v.number}</span>
                        </div>
                        <Show when={v.description}>
                          <p class="schema-desc">{v.description}</p>
                        </Show>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            )}
          </For>
        </section>
      </Show>
    </div>
  );
}
