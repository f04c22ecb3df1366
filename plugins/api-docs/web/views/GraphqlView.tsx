/**
 * GraphQL: the schema's root operations (queries, mutations, subscriptions) with arguments and
 * descriptions, every type by kind with links between them, and the highlighted SDL on demand.
 */
import { createMemo, createSignal, For, type JSX, Show } from "solid-js";
import { Markdown } from "../../../../web/src/plugin-kit";
import { tokenizeSdl, type GqlField, type GqlKind, type GqlSchema, type GqlType } from "../../lib/graphql";
import { anchorId, jumpHandler } from "./dom";

const KIND_TITLES: [GqlKind, string][] = [
  ["type", "Object types"],
  ["interface", "Interfaces"],
  ["input", "Input types"],
  ["enum", "Enums"],
  ["union", "Unions"],
  ["scalar", "Scalars"],
  ["directive", "Directives"],
];

/** `[Film!]!` with the named type linked to its definition when the schema has it. */
function TypeRef(props: { type: string; known: Set<string> }): JSX.Element {
  const parts = createMemo(() => {
    const m = /^([[\]!]*)([_A-Za-z][_0-9A-Za-z]*)?([[\]!]*)$/.exec(props.type);
    return m ? { pre: m[1] ?? "", name: m[2] ?? "", post: m[3] ?? "" } : { pre: "", name: props.type, post: "" };
  });
  return (
    <code class="type-label">
      {parts().pre}
      <Show when={props.known.has(parts().name)} fallback={parts().name}>
        <a href={`#${anchorId("gql", parts().name)}`} class="type-ref" onClick={jumpHandler(anchorId("gql", parts().name))}>
          {parts().name}
        </a>
      </Show>
      {parts().post}
    </code>
  );
}

function Field(props: { field: GqlField; known: Set<string> }): JSX.Element {
  const f = () => props.field;
  return (
    <li class="gql-field" data-testid="gql-field">
      <div class="schema-prop-head">
        <code class="schema-prop-name">{f().name}</code>
        <Show when={f().args.length > 0}>
          <span class="gql-args">
            (
            <For each={f().args}>
              {(a, i) => (
                <span title={a.description}>
                  {i() > 0 ? ", " : ""}
                  <code>{a.name}</code>: <TypeRef type={a.type} known={props.known} />
                  <Show when={a.defaultValue !== undefined}>
                    {" "}
                    = <code>{a.defaultValue}</code>
                  </Show>
                </span>
              )}
            </For>
            )
          </span>
        </Show>
        <Show when={f().type}>
          <span>:</span> <TypeRef type={f().type} known={props.known} />
        </Show>
        <Show when={f().deprecated !== undefined}>
          <span class="chip chip-warning" title={f().deprecated}>
            deprecated
          </span>
        </Show>
      </div>
      <Show when={f().description}>
        <div class="schema-desc">
          <Markdown text={f().description} />
        </div>
      </Show>
      <Show when={f().args.some((a) => a.description)}>
        <ul class="gql-arg-docs">
          <For each={f().args.filter((a) => a.description)}>
            {(a) => (
              <li class="schema-desc">
                <code>{a.name}</code>: {a.description}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </li>
  );
}

function TypeCard(props: { type: GqlType; known: Set<string> }): JSX.Element {
  const t = () => props.type;
  return (
    <section class="gql-type" id={anchorId("gql", t().name)} data-testid="gql-type">
      <h4 class="gql-type-title">
        <span class="gql-keyword">{t().kind}</span> <code>{t().name}</code>
        <Show when={t().interfaces.length > 0}>
          <span class="muted small">
            {" "}
            implements{" "}
            <For each={t().interfaces}>
              {(i, n) => (
                <>
                  {n() > 0 ? " & " : ""}
                  <TypeRef type={i} known={props.known} />
                </>
              )}
            </For>
          </span>
        </Show>
      </h4>
      <Show when={t().description}>
        <Markdown text={t().description} />
      </Show>
      <Show when={t().members.length > 0}>
        <p class="small">
          = <For each={t().members}>{(m, n) => <>{n() > 0 ? " | " : ""}<TypeRef type={m} known={props.known} /></>}</For>
        </p>
      </Show>
      <Show when={t().locations.length > 0}>
        <p class="small muted">on {t().locations.join(" | ")}</p>
      </Show>
      <Show when={t().values.length > 0}>
        <ul class="schema-props">
          <For each={t().values}>
            {(v) => (
              <li class="schema-prop">
                <div class="schema-prop-head">
                  <code class="schema-prop-name">{v.name}</code>
                  <Show when={v.deprecated !== undefined}>
                    <span class="chip chip-warning" title={v.deprecated}>
                      deprecated
                    </span>
                  </Show>
                </div>
                <Show when={v.description}>
                  <p class="schema-desc">{v.description}</p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={t().fields.length > 0 && t().kind !== "directive"}>
        <ul class="schema-props">
          <For each={t().fields}>{(f) => <Field field={f} known={props.known} />}</For>
        </ul>
      </Show>
      <Show when={t().kind === "directive" && t().fields[0]?.args.length}>
        <ul class="schema-props">
          <Field field={{ ...t().fields[0]!, type: "" }} known={props.known} />
        </ul>
      </Show>
    </section>
  );
}

function Source(props: { sdl: string }): JSX.Element {
  const tokens = createMemo(() => tokenizeSdl(props.sdl));
  return (
    <pre class="code graphql-code" tabindex="0" aria-label="GraphQL schema">
      <code>
        <For each={tokens()}>{(t) => <span class={`tok-${t.kind}`}>{t.text}</span>}</For>
      </code>
    </pre>
  );
}

export function GraphqlView(props: { schema: GqlSchema; source: string; title?: string }): JSX.Element {
  const s = () => props.schema;
  const known = createMemo(() => new Set(s().types.map((t) => t.name)));
  const [filter, setFilter] = createSignal("");
  const [showSource, setShowSource] = createSignal(false);
  const rootNames = createMemo(() => new Set([s().roots.query, s().roots.mutation, s().roots.subscription].filter(Boolean)));
  const matches = (text: string) => !filter().trim() || text.toLowerCase().includes(filter().trim().toLowerCase());
  const ops = createMemo(() =>
    (
      [
        ["Queries", s().queries, "gql-queries"],
        ["Mutations", s().mutations, "gql-mutations"],
        ["Subscriptions", s().subscriptions, "gql-subscriptions"],
      ] as const
    ).map(([title, fields, id]) => ({ title, id, fields: fields.filter((f) => matches(`${f.name} ${f.type} ${f.description ?? ""}`)), total: fields.length })),
  );
  const byKind = createMemo(() =>
    KIND_TITLES.map(([kind, title]) => ({ kind, title, types: s().types.filter((t) => t.kind === kind && !rootNames().has(t.name) && matches(`${t.name} ${t.description ?? ""} ${t.fields.map((f) => f.name).join(" ")}`)) })).filter((g) => g.types.length > 0),
  );
  return (
    <div class="api-doc graphql" data-testid="graphql-view">
      <header class="api-doc-header">
        <div class="api-doc-title">
          <h2>{props.title ?? "GraphQL schema"}</h2>
          <span class="chip chip-muted">GraphQL SDL</span>
        </div>
        <Show when={s().description}>
          <Markdown text={s().description} class="api-description" />
        </Show>
        <Show when={s().errors.length > 0}>
          <p class="chip chip-warning" data-testid="gql-errors" title={s().errors.join("\n")}>
            {s().errors.length} definition{s().errors.length === 1 ? "" : "s"} could not be read: {s().errors[0]}
          </p>
        </Show>
      </header>
      <div class="api-toolbar">
        <input type="search" class="facet-filter" placeholder="Filter fields and types…" aria-label="Filter fields and types" value={filter()} onInput={(e) => setFilter(e.currentTarget.value)} />
        <span class="muted small" data-testid="api-counts">
          {s().queries.length} queries · {s().mutations.length} mutations · {s().subscriptions.length} subscriptions · {s().types.length} types
        </span>
        <button type="button" class="button button-secondary" aria-pressed={showSource()} onClick={() => setShowSource(!showSource())}>
          {showSource() ? "Hide SDL" : "Show SDL"}
        </button>
      </div>
      <Show when={showSource()}>
        <Source sdl={props.source} />
      </Show>
      <nav class="gql-index" aria-label="Types">
        <For each={ops().filter((o) => o.total > 0)}>
          {(o) => (
            <a href={`#${o.id}`} class="gql-def" onClick={jumpHandler(o.id)}>
              <span class="gql-keyword">{o.title}</span> {o.total}
            </a>
          )}
        </For>
        <For each={byKind()}>
          {(g) => (
            <For each={g.types}>
              {(t) => (
                <a href={`#${anchorId("gql", t.name)}`} class={`gql-def gql-${t.kind}`} onClick={jumpHandler(anchorId("gql", t.name))}>
                  <span class="gql-keyword">{t.kind}</span> {t.name}
                </a>
              )}
            </For>
          )}
        </For>
      </nav>
      <For each={ops().filter((o) => o.total > 0)}>
        {(o) => (
          <section class="api-group" id={o.id} data-testid={o.id}>
            <h3 class="api-group-title">{o.title}</h3>
            <Show when={o.fields.length > 0} fallback={<p class="muted">No {o.title.toLowerCase()} match “{filter()}”.</p>}>
              <ul class="schema-props">
                <For each={o.fields}>{(f) => <Field field={f} known={known()} />}</For>
              </ul>
            </Show>
          </section>
        )}
      </For>
      <For each={byKind()}>
        {(g) => (
          <section class="api-group">
            <h3 class="api-group-title">{g.title}</h3>
            <For each={g.types}>{(t) => <TypeCard type={t} known={known()} />}</For>
          </section>
        )}
      </For>
    </div>
  );
}
