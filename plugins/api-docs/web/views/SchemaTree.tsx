/**
 * A schema tree (lib/schema.ts) as a nested property list: refs read in place, circular refs and cut-off
 * branches say so instead of recursing. Levels below the first are collapsed until opened.
 */
import { For, type JSX, Show } from "solid-js";
import type { SchemaNode } from "../../lib/schema";

function hasChildren(n: SchemaNode): boolean {
  return Boolean(n.properties?.length || n.variants?.nodes.length || n.additionalProperties || (n.items && hasChildren(n.items)));
}

export function TypeChip(props: { node: SchemaNode }): JSX.Element {
  return (
    <span class="type-label" title={props.node.refName ? `Schema ${props.node.refName}` : undefined}>
      <code classList={{ "type-ref": Boolean(props.node.refName) }}>{props.node.label}</code>
      <Show when={props.node.circular}>
        <span class="chip chip-muted" title="This schema contains itself; shown once above">circular</span>
      </Show>
      <Show when={props.node.unresolved}>
        <span class="chip chip-warning" title={props.node.unresolved}>unresolved ref</span>
      </Show>
    </span>
  );
}

function Facts(props: { node: SchemaNode }): JSX.Element {
  const n = () => props.node;
  return (
    <>
      <Show when={n().description}>
        <p class="schema-desc">{n().description}</p>
      </Show>
      <Show when={n().enum?.length}>
        <p class="schema-desc">
          One of: <code>{n().enum!.join(", ")}</code>
        </p>
      </Show>
      <Show when={n().constraints.length || n().default !== undefined || n().example !== undefined}>
        <p class="schema-desc schema-facts">
          <For each={n().constraints}>{(c) => <span class="chip chip-muted">{c}</span>}</For>
          <Show when={n().default !== undefined}>
            <span>
              Default <code>{n().default}</code>
            </span>
          </Show>
          <Show when={n().example !== undefined}>
            <span>
              Example <code>{n().example}</code>
            </span>
          </Show>
        </p>
      </Show>
    </>
  );
}

function Children(props: { node: SchemaNode; depth: number }): JSX.Element {
  const n = () => props.node;
  return (
    <>
      <Show when={n().properties?.length}>
        <ul class="schema-props" classList={{ nested: props.depth > 0 }}>
          <For each={n().properties}>
            {(p) => (
              <li class="schema-prop" data-testid="schema-prop">
                <Show
                  when={hasChildren(p.node)}
                  fallback={
                    <>
                      <div class="schema-prop-head">
                        <PropHead name={p.name} required={p.required} node={p.node} />
                      </div>
                      <Facts node={p.node} />
                    </>
                  }
                >
                  <details class="schema-branch" open={props.depth < 1}>
                    <summary class="schema-prop-head">
                      <PropHead name={p.name} required={p.required} node={p.node} />
                    </summary>
                    <Facts node={p.node} />
                    <Children node={p.node} depth={props.depth + 1} />
                  </details>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={n().items && hasChildren(n().items!)}>
        <div class="schema-items">
          <span class="muted small">Items</span> <TypeChip node={n().items!} />
          <Children node={n().items!} depth={props.depth + 1} />
        </div>
      </Show>
      <Show when={n().additionalProperties}>
        <div class="schema-items">
          <span class="muted small">Other keys</span> <TypeChip node={n().additionalProperties!} />
          <Children node={n().additionalProperties!} depth={props.depth + 1} />
        </div>
      </Show>
      <Show when={n().variants}>
        {(v) => (
          <div class="schema-variants">
            <span class="muted small">{v().kind === "oneOf" ? "One of" : "Any of"}</span>
            <ol>
              <For each={v().nodes}>
                {(variant) => (
                  <li>
                    <TypeChip node={variant} />
                    <Facts node={variant} />
                    <Children node={variant} depth={props.depth + 1} />
                  </li>
                )}
              </For>
            </ol>
          </div>
        )}
      </Show>
      <Show when={n().truncated}>
        <p class="muted small">… more levels not shown</p>
      </Show>
    </>
  );
}

function PropHead(props: { name: string; required: boolean; node: SchemaNode }): JSX.Element {
  return (
    <>
      <code class="schema-prop-name">{props.name}</code>
      <TypeChip node={props.node} />
      <Show when={props.required}>
        <span class="required">required</span>
      </Show>
      <Show when={props.node.deprecated}>
        <span class="chip chip-warning">deprecated</span>
      </Show>
      <Show when={props.node.readOnly}>
        <span class="chip chip-muted">read-only</span>
      </Show>
      <Show when={props.node.writeOnly}>
        <span class="chip chip-muted">write-only</span>
      </Show>
    </>
  );
}

export function SchemaTree(props: { node: SchemaNode }): JSX.Element {
  return (
    <div class="schema-tree" data-testid="schema-tree">
      <div class="schema-leaf">
        <TypeChip node={props.node} />
      </div>
      <Facts node={props.node} />
      <Children node={props.node} depth={0} />
    </div>
  );
}
