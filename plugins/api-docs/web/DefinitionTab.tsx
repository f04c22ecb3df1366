/**
 * The Definition tab of an API entity: `spec.definition` read by `spec.type` (lib/definition.ts, which never
 * throws) and shown by the matching view; a definition that cannot be read shows why, next to its text.
 */
import { createMemo, type JSX, Match, Switch } from "solid-js";
import { Card, EmptyState, ErrorState, type PluginEntityProps } from "../../../web/src/plugin-kit";
import { parseDefinition, type ParsedDefinition } from "../lib/definition";
import { AsyncApiView } from "./views/AsyncApiView";
import { GraphqlView } from "./views/GraphqlView";
import { OpenApiView } from "./views/OpenApiView";
import { ProtoView } from "./views/ProtoView";
import { TextView } from "./views/TextView";
import "./api-docs.css";

type Of<K extends ParsedDefinition["kind"]> = Extract<ParsedDefinition, { kind: K }>;

export default function DefinitionTab(props: PluginEntityProps): JSX.Element {
  const type = () => (typeof props.entity.spec?.type === "string" ? props.entity.spec.type : "");
  const title = () => props.entity.metadata.title ?? props.entity.metadata.name;
  const parsed = createMemo(() => parseDefinition(type(), props.entity.spec?.definition));
  const as = <K extends ParsedDefinition["kind"]>(kind: K) => (parsed().kind === kind ? (parsed() as Of<K>) : undefined);
  return (
    <Card title="API definition" id="definition">
      <div class="api-definition" data-testid="api-definition" data-kind={parsed().kind}>
        <Switch>
          <Match when={as("empty")}>
            <EmptyState icon="file" title="No definition">
              <p>
                Add <code>spec.definition</code> (inline or with <code>$text: ./openapi.yaml</code>) to show it here.
              </p>
            </EmptyState>
          </Match>
          <Match when={as("openapi")}>{(p) => <OpenApiView summary={p().summary} doc={p().doc} />}</Match>
          <Match when={as("asyncapi")}>{(p) => <AsyncApiView summary={p().summary} doc={p().doc} />}</Match>
          <Match when={as("graphql")}>{(p) => <GraphqlView schema={p().schema} source={p().source} title={title()} />}</Match>
          <Match when={as("grpc")}>{(p) => <ProtoView proto={p().proto} source={p().source} title={title()} />}</Match>
          <Match when={as("error")}>
            {(p) => (
              <>
                <ErrorState compact error={new Error(`The ${type() || "API"} definition could not be read: ${p().message}`)} />
                <TextView label={`${type()} definition`} text={p().source} truncated={p().truncated} />
              </>
            )}
          </Match>
          <Match when={as("too-large")}>
            {(p) => (
              <>
                <p class="chip chip-warning">This definition is {Math.round(p().chars / 1024)} KB, too large to read here; its beginning is shown as text.</p>
                <TextView label={`${type()} definition`} text={p().source} truncated />
              </>
            )}
          </Match>
          <Match when={as("text")}>{(p) => <TextView label={`${type() || "API"} definition`} text={p().source} truncated={p().truncated} />}</Match>
        </Switch>
      </div>
    </Card>
  );
}
