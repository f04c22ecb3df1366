/**
 * Plugin documents (TechDocs pages, ...) matching the search text, grouped by plugin, each hit with its page,
 * the matching heading and a highlighted snippet: the search page's "Docs" sections (`variant="page"`) and the
 * typeahead's (`variant="suggestions"`). Fetched apart from the catalog results, so neither waits for the other.
 */
import { A } from "@solidjs/router";
import { createResource, For, type JSX, onCleanup, Show, Suspense } from "solid-js";
import { type DocumentGroup, fetchDocuments } from "../api/search";
import { safeHighlight } from "../lib/highlight";
import { Icon } from "./Icon";

export function DocumentResults(props: {
  q: string;
  variant: "page" | "suggestions";
  onPick?: (path: string) => void;
  /** Told each answer: the text it was for and its number of hits (the search page's empty state waits for it). */
  onAnswer?: (answer: { q: string; count: number }) => void;
}): JSX.Element {
  let controller: AbortController | undefined;
  onCleanup(() => controller?.abort());
  const [groups] = createResource(
    () => props.q.trim() || undefined,
    async (q) => {
      controller?.abort();
      controller = new AbortController();
      const found = await fetchDocuments(q, { limit: props.variant === "page" ? 10 : 3, signal: controller.signal }).catch((): DocumentGroup[] => []);
      props.onAnswer?.({ q, count: found.reduce((n, g) => n + g.items.length, 0) });
      return found;
    },
  );
  const refName = (ref: string) => ref.slice(ref.indexOf("/") + 1);
  // `groups.latest` reads the resource until its first answer, which suspends: without a boundary of its own the
  // nearest was the shell's, so the first letters typed into the home page's search box swapped the whole page
  // for its skeleton and back, and the box was a new, empty one.
  return (
    <Suspense>
      <Show when={(groups.latest ?? []).length > 0}>
        <For each={groups.latest}>
          {(g) =>
            props.variant === "page" ? (
              <section class="search-group search-docs" aria-labelledby={`search-docs-${g.plugin.id}`} data-testid={`search-docs-${g.plugin.id}`}>
                <h2 class="search-group-title" id={`search-docs-${g.plugin.id}`}>
                  {g.plugin.id === "techdocs" ? "Docs" : g.plugin.title} <span class="count-pill">{g.items.length}</span>
                </h2>
                <ul class="search-result-list">
                  <For each={g.items}>
                    {(hit) => (
                      <li class="search-result">
                        <Icon name="file" size={16} />
                        <div class="search-result-main">
                          <A href={hit.path} class="search-result-title">
                            {hit.title}
                            <Show when={hit.section && hit.section !== hit.title}> › {hit.section}</Show>
                          </A>
                          <span class="search-result-ref">{hit.entityRef}</span>
                          <p class="search-result-desc" innerHTML={safeHighlight(hit.snippet)} />
                        </div>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            ) : (
              <div class="search-suggestion-docs" data-testid={`suggest-docs-${g.plugin.id}`}>
                <p class="search-suggestion-docs-title">{g.plugin.id === "techdocs" ? "Docs" : g.plugin.title}</p>
                <ul class="search-suggestions">
                  <For each={g.items}>
                    {(hit) => (
                      <li class="search-suggestion" onMouseDown={(e) => e.preventDefault()} onClick={() => props.onPick?.(hit.path)}>
                        <Icon name="file" size={14} />
                        <span class="search-suggestion-main">
                          <span class="search-suggestion-title">
                            {hit.title}
                            <Show when={hit.section && hit.section !== hit.title}> › {hit.section}</Show>
                          </span>
                          <span class="search-suggestion-ref">{refName(hit.entityRef)}</span>
                          <span class="search-suggestion-desc" innerHTML={safeHighlight(hit.snippet)} />
                        </span>
                      </li>
                    )}
                  </For>
                </ul>
              </div>
            )
          }
        </For>
      </Show>
    </Suspense>
  );
}
