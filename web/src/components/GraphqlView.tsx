/** GraphQL SDL viewer: an index of types and the highlighted schema with anchors per definition. */
import { createMemo, For, type JSX } from "solid-js";
import { extractSdlDefinitions, tokenizeSdl } from "../lib/graphql";
import { jumpTo } from "./SchemaView";

export function GraphqlView(props: { sdl: string }): JSX.Element {
  const defs = createMemo(() => extractSdlDefinitions(props.sdl));
  const lines = createMemo(() => {
    // Tokenise per line so each line can carry its own anchor.
    const out: { line: number; tokens: ReturnType<typeof tokenizeSdl> }[] = [];
    const tokens = tokenizeSdl(props.sdl);
    let current: ReturnType<typeof tokenizeSdl> = [];
    let n = 1;
    for (const t of tokens) {
      const parts = t.text.split("\n");
      parts.forEach((p, i) => {
        if (i > 0) {
          out.push({ line: n++, tokens: current });
          current = [];
        }
        if (p) current.push({ kind: t.kind, text: p });
      });
    }
    out.push({ line: n, tokens: current });
    return out;
  });
  const anchorLines = createMemo(() => new Map(defs().map((d) => [d.line, `gql-${d.name}`])));
  return (
    <div class="api-doc graphql" data-testid="graphql-view">
      <nav class="gql-index" aria-label="Types">
        <For each={defs()}>
          {(d) => (
            <a
              href={`#gql-${d.name}`}
              class={`gql-def gql-${d.keyword}`}
              onClick={(e) => {
                e.preventDefault();
                jumpTo(`gql-${d.name}`);
              }}
            >
              <span class="gql-keyword">{d.keyword}</span> {d.name}
            </a>
          )}
        </For>
      </nav>
      <pre class="code graphql-code" tabindex="0" aria-label="GraphQL schema">
        <code>
          <For each={lines()}>
            {(l) => (
              <span class="code-line" id={anchorLines().get(l.line)}>
                <For each={l.tokens}>{(t) => <span class={`tok-${t.kind}`}>{t.text}</span>}</For>
                {"\n"}
              </span>
            )}
          </For>
        </code>
      </pre>
    </div>
  );
}
