/** Search box inside one entity's docs: heading-level hits with highlighted snippets, linking to the section. */
import { A } from "@solidjs/router";
import { createSignal, For, type JSX, onCleanup, Show } from "solid-js";
import type { WebPluginApi } from "../../../contract/plugin-web";
import { type DocsHit, snippetHtml } from "./types";

export function DocsSearch(props: { api: WebPluginApi; entityRef: string }): JSX.Element {
  const [q, setQ] = createSignal("");
  const [hits, setHits] = createSignal<DocsHit[] | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  const run = (text: string) => {
    const mine = ++seq;
    if (!text.trim()) return setHits(null);
    props.api
      .fetchJson<{ items: DocsHit[] }>(`/search?q=${encodeURIComponent(text.trim())}&entity=${encodeURIComponent(props.entityRef)}&limit=10`)
      .then((r) => mine === seq && setHits(r.items))
      .catch(() => mine === seq && setHits([]));
  };
  onCleanup(() => clearTimeout(timer));
  return (
    <div class="techdocs-search">
      <label class="visually-hidden" for="techdocs-search-input">Search these docs</label>
      <input
        id="techdocs-search-input"
        type="search"
        placeholder="Search these docs"
        autocomplete="off"
        data-testid="techdocs-search"
        value={q()}
        onInput={(e) => {
          setQ(e.currentTarget.value);
          clearTimeout(timer);
          const v = e.currentTarget.value;
          timer = setTimeout(() => run(v), 150);
        }}
      />
      <Show when={hits()}>
        <ul class="techdocs-search-results" data-testid="techdocs-search-results">
          <Show when={hits()!.length === 0}>
            <li class="muted">No matches in these docs</li>
          </Show>
          <For each={hits()!}>
            {(h) => (
              <li>
                <A href={h.path} onClick={() => setHits(null)}>
                  <strong>{h.title}</strong>
                  <Show when={h.section && h.section !== h.title}> › {h.section}</Show>
                </A>
                <p innerHTML={snippetHtml(h.snippet)} />
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
