/** The 404 for an entity URL: says what was looked for and suggests similarly named entities. */
import { A } from "@solidjs/router";
import { createResource, For, type JSX, Show } from "solid-js";
import { fetchSearch } from "../api/search";
import { entityPath } from "../lib/entity-ref";
import { highlightOr, highlightRef } from "../lib/highlight";
import { kindLabel } from "../lib/kinds";
import { Icon } from "./Icon";
import type { SearchItem } from "../../../contract/catalog-api";
import { KindBadge } from "./KindBadge";
import { SkeletonLines } from "./Skeleton";

/**
 * Names that are close to `name`: the whole name, then each word of it, then the first letters of its
 * longest word (which survives most typos: "payments-servce" → "payments", "paym"). Results are merged
 * in that order, without duplicates.
 */
async function findSimilar(name: string): Promise<SearchItem[]> {
  const words = name.split(/[-_.\s]+/).filter((w) => w.length >= 3);
  const longest = [...words].sort((a, b) => b.length - a.length)[0] ?? name;
  const queries = [...new Set([words.join(" ") || name, ...words.slice(0, 3), longest.slice(0, 4)])].filter((q) => q.trim().length >= 2);
  const results = await Promise.all(queries.map((q) => fetchSearch(q, { limit: 8 }).then((r) => r.items, () => [] as SearchItem[])));
  const seen = new Set<string>();
  const out: SearchItem[] = [];
  for (const item of results.flat()) {
    if (seen.has(item.ref)) continue;
    seen.add(item.ref);
    out.push(item);
  }
  return out.slice(0, 8);
}

export function EntityNotFound(props: { kind: string; namespace: string; name: string }): JSX.Element {
  // Search by name; if the backend search fails, the page still explains itself.
  const [suggestions] = createResource(() => props.name, findSimilar);
  return (
    <div class="page not-found" data-testid="entity-not-found">
      <div class="not-found-hero">
        <span class="not-found-code">404</span>
        <h1>
          No {kindLabel(props.kind).toLowerCase()} named “{props.name}”
        </h1>
        <p class="page-subtitle">
          There is no <code>{`${props.kind.toLowerCase()}:${props.namespace}/${props.name}`}</code> in the catalog. It may have been renamed, moved to another namespace, or removed from its repository.
        </p>
        <div class="not-found-actions">
          <A class="button button-primary" href={`/search?q=${encodeURIComponent(props.name)}`}>
            <Icon name="search" size={16} /> Search for “{props.name}”
          </A>
          <A class="button button-secondary" href={`/catalog?kind=${encodeURIComponent(props.kind.toLowerCase())}`}>
            Browse {kindLabel(props.kind)} entities
          </A>
        </div>
      </div>
      <section class="card" aria-labelledby="suggestions-title">
        <header class="card-header">
          <h2 class="card-title" id="suggestions-title">
            Did you mean
          </h2>
        </header>
        <div class="card-body">
          <Show when={!suggestions.loading} fallback={<SkeletonLines lines={3} />}>
            <Show when={(suggestions() ?? []).length > 0} fallback={<p class="muted">No entities with a similar name.</p>}>
              <ul class="entity-list" data-testid="not-found-suggestions">
                <For each={suggestions()}>
                  {(s) => (
                    <li class="entity-list-item">
                      <KindBadge kind={s.kind} size="sm" />
                      <div class="entity-list-main">
                        <A href={entityPath(s.ref)} class="entity-list-title" innerHTML={highlightOr(s.highlights.title ?? (s.title ? undefined : s.highlights.name), s.title ?? s.name)} />
                        <span class="entity-list-desc" innerHTML={highlightRef(s)} />
                      </div>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        </div>
      </section>
    </div>
  );
}
