/** The entity as YAML (js-yaml dump), highlighted and copyable. Lazily loaded: js-yaml stays out of the main bundle. */
import { dump } from "js-yaml";
import { createMemo, createSignal, For, type JSX } from "solid-js";
import type { Entity } from "../../../contract/entity";
import { Icon } from "./Icon";

interface Line {
  indent: string;
  dash: string;
  key: string;
  rest: string;
}

const LINE = /^(\s*)(- )?(?:([^\s:#'"][^:#]*?|"[^"]*"|'[^']*'):(?=\s|$))?(.*)$/;

function splitLine(text: string): Line {
  const m = LINE.exec(text);
  if (!m) return { indent: "", dash: "", key: "", rest: text };
  return { indent: m[1] ?? "", dash: m[2] ?? "", key: m[3] ?? "", rest: m[4] ?? "" };
}

export default function YamlView(props: { entity: Entity }): JSX.Element {
  const text = createMemo(() => dump(props.entity, { lineWidth: 120, noRefs: true, sortKeys: false }));
  const lines = createMemo(() => text().replace(/\n$/, "").split("\n").map(splitLine));
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text());
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div class="code-block yaml-view" data-testid="yaml-view">
      <div class="code-toolbar">
        <span class="muted small">{lines().length} lines · as served by the catalog API</span>
        <button type="button" class="button button-ghost" onClick={() => void copy()}>
          <Icon name={copied() ? "check" : "copy"} size={15} /> {copied() ? "Copied" : "Copy YAML"}
        </button>
      </div>
      <pre class="code" tabindex="0" aria-label="Entity YAML">
        <code>
          <For each={lines()}>
            {(l) => (
              <span class="code-line">
                {l.indent}
                {l.dash && <span class="tok-punct">{l.dash}</span>}
                {l.key && (
                  <>
                    <span class="tok-key">{l.key}</span>
                    <span class="tok-punct">:</span>
                  </>
                )}
                <span class={/^\s*(true|false|null|-?\d+(\.\d+)?)\s*$/.test(l.rest) ? "tok-literal" : "tok-value"}>{l.rest}</span>
                {"\n"}
              </span>
            )}
          </For>
        </code>
      </pre>
    </div>
  );
}
