/**
 * A JSON Schema as a nested property list. `$ref`s to named schemas are links to that schema's section
 * rather than expanded inline, which keeps recursive schemas finite; nesting stops after a few levels.
 */
import { For, type JSX, Show } from "solid-js";
import { schemaRefName, schemaTypeLabel } from "../lib/openapi";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function schemaAnchor(name: string): string {
  return `schema-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

export function jumpTo(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  if (el instanceof HTMLDetailsElement) el.open = true;
  el.scrollIntoView({ behavior: "smooth", block: "start" });
  const focusable = el.querySelector("summary") ?? el;
  (focusable as HTMLElement).focus({ preventScroll: true });
}

export function TypeLabel(props: { schema: unknown }): JSX.Element {
  const ref = () => (isObj(props.schema) && typeof props.schema.$ref === "string" ? props.schema.$ref : isObj(props.schema) && isObj(props.schema.items) && typeof props.schema.items.$ref === "string" ? props.schema.items.$ref : undefined);
  return (
    <Show when={ref()} fallback={<code class="type-label">{schemaTypeLabel(props.schema)}</code>}>
      <a
        href={`#${schemaAnchor(schemaRefName(ref()!))}`}
        class="type-label type-ref"
        onClick={(e) => {
          e.preventDefault();
          jumpTo(schemaAnchor(schemaRefName(ref()!)));
        }}
      >
        <code>{schemaTypeLabel(props.schema)}</code>
      </a>
    </Show>
  );
}

function childrenOf(schema: unknown): { properties: [string, unknown][]; required: string[] } | undefined {
  if (!isObj(schema) || typeof schema.$ref === "string") return undefined;
  if (isObj(schema.properties)) {
    return { properties: Object.entries(schema.properties), required: Array.isArray(schema.required) ? (schema.required as unknown[]).map(String) : [] };
  }
  if (schema.type === "array" && isObj(schema.items) && typeof schema.items.$ref !== "string") return childrenOf(schema.items);
  for (const key of ["allOf", "oneOf", "anyOf"] as const) {
    const parts = schema[key];
    if (Array.isArray(parts)) {
      const props: [string, unknown][] = [];
      const req: string[] = [];
      for (const p of parts) {
        const c = childrenOf(p);
        if (c) {
          props.push(...c.properties);
          req.push(...c.required);
        }
      }
      if (props.length) return { properties: props, required: req };
    }
  }
  return undefined;
}

export function SchemaView(props: { schema: unknown; depth?: number }): JSX.Element {
  const depth = () => props.depth ?? 0;
  const kids = () => childrenOf(props.schema);
  const enumValues = (s: unknown) => (isObj(s) && Array.isArray(s.enum) ? (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(", ") : undefined);
  return (
    <Show when={kids()} fallback={<div class="schema-leaf"><TypeLabel schema={props.schema} /></div>}>
      <ul class="schema-props" classList={{ nested: depth() > 0 }}>
        <For each={kids()!.properties}>
          {([name, s]) => (
            <li class="schema-prop">
              <div class="schema-prop-head">
                <code class="schema-prop-name">{name}</code>
                <TypeLabel schema={s} />
                <Show when={kids()!.required.includes(name)}>
                  <span class="required">required</span>
                </Show>
                <Show when={isObj(s) && s.deprecated === true}>
                  <span class="chip chip-warning">deprecated</span>
                </Show>
              </div>
              <Show when={isObj(s) && typeof s.description === "string"}>
                <p class="schema-desc">{String((s as Obj).description)}</p>
              </Show>
              <Show when={enumValues(s)}>
                <p class="schema-desc">
                  One of: <code>{enumValues(s)}</code>
                </p>
              </Show>
              <Show when={depth() < 4 && childrenOf(s)}>
                <SchemaView schema={s} depth={depth() + 1} />
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
