/**
 * An API entity's `spec.definition`, rendered by type: OpenAPI (operations and schemas), AsyncAPI
 * (channels), GraphQL (SDL), anything else as text. Lazily loaded with js-yaml, marked and DOMPurify.
 */
import { load } from "js-yaml";
import { createMemo, type JSX, Match, Switch } from "solid-js";
import { extractAsyncApi } from "../lib/asyncapi";
import { extractOpenApi } from "../lib/openapi";
import { AsyncApiView } from "./AsyncApiView";
import { EmptyState } from "./EmptyState";
import { ErrorState } from "./ErrorState";
import { GraphqlView } from "./GraphqlView";
import { OpenApiView } from "./OpenApiView";

type Parsed =
  | { kind: "openapi"; doc: ReturnType<typeof extractOpenApi> }
  | { kind: "asyncapi"; doc: ReturnType<typeof extractAsyncApi> }
  | { kind: "graphql"; sdl: string }
  | { kind: "text"; text: string }
  | { kind: "empty" }
  | { kind: "error"; error: Error; text: string };

function parse(type: string, definition: unknown): Parsed {
  if (definition === undefined || definition === null || definition === "") return { kind: "empty" };
  const text = typeof definition === "string" ? definition : JSON.stringify(definition, null, 2);
  const t = type.toLowerCase();
  try {
    if (t === "openapi" || t === "swagger") return { kind: "openapi", doc: extractOpenApi(typeof definition === "string" ? load(definition) : definition) };
    if (t === "asyncapi") return { kind: "asyncapi", doc: extractAsyncApi(typeof definition === "string" ? load(definition) : definition) };
    if (t === "graphql") return { kind: "graphql", sdl: text };
    return { kind: "text", text };
  } catch (err) {
    return { kind: "error", error: err instanceof Error ? err : new Error(String(err)), text };
  }
}

export default function ApiDefinition(props: { type: string; definition: unknown }): JSX.Element {
  const parsed = createMemo(() => parse(props.type, props.definition));
  return (
    <div class="api-definition" data-testid="api-definition">
      <Switch>
        <Match when={parsed().kind === "empty"}>
          <EmptyState icon="file" title="No definition">
            <p>
              Add <code>spec.definition</code> (inline or with <code>$text: ./openapi.yaml</code>) to show it here.
            </p>
          </EmptyState>
        </Match>
        <Match when={parsed().kind === "openapi" && (parsed() as Extract<Parsed, { kind: "openapi" }>)}>{(p) => <OpenApiView doc={p().doc} />}</Match>
        <Match when={parsed().kind === "asyncapi" && (parsed() as Extract<Parsed, { kind: "asyncapi" }>)}>{(p) => <AsyncApiView doc={p().doc} />}</Match>
        <Match when={parsed().kind === "graphql" && (parsed() as Extract<Parsed, { kind: "graphql" }>)}>{(p) => <GraphqlView sdl={p().sdl} />}</Match>
        <Match when={parsed().kind === "error" && (parsed() as Extract<Parsed, { kind: "error" }>)}>
          {(p) => (
            <>
              <ErrorState compact error={new Error(`The ${props.type} definition could not be read: ${p().error.message}`)} />
              <pre class="code" tabindex="0">
                <code>{p().text}</code>
              </pre>
            </>
          )}
        </Match>
        <Match when={parsed().kind === "text" && (parsed() as Extract<Parsed, { kind: "text" }>)}>
          {(p) => (
            <div class="code-block">
              <div class="code-toolbar">
                <span class="muted small">{props.type} definition</span>
              </div>
              <pre class="code" tabindex="0" aria-label={`${props.type} definition`}>
                <code>{p().text}</code>
              </pre>
            </div>
          )}
        </Match>
      </Switch>
    </div>
  );
}
