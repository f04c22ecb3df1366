/**
 * `/search?q=&kind=`: results update as you type (debounced, stale requests aborted), grouped by kind,
 * with the server's highlighted matches.
 */
import { A, useLocation, useNavigate } from "@solidjs/router";
import { batch, createEffect, createMemo, createSignal, For, type JSX, on, onCleanup, onMount, Show } from "solid-js";
import { fetchSearch } from "../api/search";
import { DocumentResults } from "../components/DocumentResults";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { Icon } from "../components/Icon";
import { KindBadge } from "../components/KindBadge";
import { SkeletonLines } from "../components/Skeleton";
import { entityPath } from "../lib/entity-ref";
import { highlightOr, highlightRef, highlightTerms, safeHighlight } from "../lib/highlight";
import { compareKinds, kindLabel, pluralKind } from "../lib/kinds";
import { markOnce } from "../lib/perf";
import type { SearchItem } from "../../../contract/catalog-api";
import { formatCount } from "../lib/format";
import { showNoResults } from "../lib/search-empty";

export default function Search(): JSX.Element {
  const location = useLocation();
  const navigate = useNavigate();
  const params = createMemo(() => {
    const sp = new URLSearchParams(location.search);
    return { q: sp.get("q") ?? "", kind: sp.get("kind") ?? "" };
  });
  const [text, setText] = createSignal(params().q);
  const [items, setItems] = createSignal<SearchItem[]>([]);
  const [total, setTotal] = createSignal(0);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const [searched, setSearched] = createSignal("");
  // The plugin documents' last answer (DocumentResults): "No results" only when they found nothing either.
  const [docs, setDocs] = createSignal<{ q: string; count: number } | null>(null);
  const noResults = () =>
    showNoResults({ searched: searched(), catalogCount: items().length, loading: loading(), failed: Boolean(error()), docsSearched: !params().kind, docs: docs() });
  let input!: HTMLInputElement;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const go = (q: string, kind: string, replace: boolean) => {
    const sp = new URLSearchParams();
    if (q.trim()) sp.set("q", q.trim());
    if (kind) sp.set("kind", kind);
    const qs = sp.toString();
    navigate(`/search${qs ? `?${qs}` : ""}`, { replace, scroll: false });
  };

  createEffect(
    on(params, ({ q, kind }) => {
      if (q !== text().trim()) setText(q);
      controller?.abort();
      if (!q.trim()) {
        batch(() => {
          setItems([]);
          setTotal(0);
          setLoading(false);
          setError(undefined);
          setSearched("");
        });
        return;
      }
      const c = (controller = new AbortController());
      setLoading(true);
      fetchSearch(q, { limit: 50, kind: kind || undefined, signal: c.signal }).then(
        (res) => {
          if (c.signal.aborted) return;
          batch(() => {
            setItems(res.items);
            setTotal(res.total);
            setError(undefined);
            setLoading(false);
            setSearched(q);
          });
          markOnce("edgestage:search-results");
        },
        (err: unknown) => {
          if (c.signal.aborted) return;
          batch(() => {
            setError(err);
            setLoading(false);
          });
        },
      );
    }),
  );
  onMount(() => input.focus());
  onCleanup(() => {
    controller?.abort();
    clearTimeout(timer);
  });

  const onInput = (v: string) => {
    setText(v);
    clearTimeout(timer);
    timer = setTimeout(() => go(v, params().kind, true), 150);
  };

  const groups = createMemo(() => {
    const by = new Map<string, SearchItem[]>();
    for (const it of items()) {
      const k = it.kind.toLowerCase();
      (by.get(k) ?? by.set(k, []).get(k)!).push(it);
    }
    return [...by.entries()].sort((a, b) => compareKinds(a[0], b[0]));
  });

  return (
    <div class="page search-page">
      <div class="page-header">
        <h1>Search</h1>
      </div>
      <form
        role="search"
        class="search-page-form"
        onSubmit={(e) => {
          e.preventDefault();
          clearTimeout(timer);
          go(text(), params().kind, false);
        }}
      >
        <label for="search-page-input" class="visually-hidden">
          Search the catalog
        </label>
        <div class="search-box search-box-lg">
          <Icon name="search" class="search-box-icon" size={20} />
          <input ref={input} id="search-page-input" type="search" autocomplete="off" spellcheck={false} placeholder="Search by name, title, description or tag" value={text()} onInput={(e) => onInput(e.currentTarget.value)} data-testid="search-page-input" />
        </div>
      </form>

      <Show when={params().kind}>
        <div class="filter-chips">
          <button type="button" class="filter-chip" onClick={() => go(params().q, "", false)} aria-label={`Remove kind filter ${kindLabel(params().kind)}`}>
            Kind: {kindLabel(params().kind)} <Icon name="close" size={12} />
          </button>
        </div>
      </Show>

      <Show when={error()}>
        <ErrorState error={error()} onRetry={() => go(params().q, params().kind, true)} />
      </Show>

      <Show when={params().q.trim()} fallback={
        <EmptyState icon="search" title="Search the whole catalog">
          <p>Find services, APIs, systems, teams and people by name, title, description or tag. Press <kbd>/</kbd> anywhere to jump to search.</p>
        </EmptyState>
      }>
        <Show when={!(loading() && items().length === 0)} fallback={<div class="card"><SkeletonLines lines={6} /></div>}>
          <Show
            when={items().length > 0 || loading()}
            fallback={
              <Show when={noResults()}>
                <EmptyState
                  icon="search"
                  title={`No results for “${searched()}”`}
                  actions={
                    <A class="button button-secondary" href={`/catalog?q=${encodeURIComponent(searched())}`}>
                      Filter the catalog instead
                    </A>
                  }
                >
                  <p>Check the spelling, try fewer words, or search for a team or system name.</p>
                </EmptyState>
              </Show>
            }
          >
            <p class="muted" aria-live="polite" classList={{ "is-stale": loading() }}>
              {formatCount(total())} result{total() === 1 ? "" : "s"} for “{searched()}”
              {total() > items().length ? ` · showing the best ${items().length}` : ""}
            </p>
            <Show when={!params().kind && groups().length > 1}>
              <nav class="kind-jump" aria-label="Filter results by kind">
                <For each={groups()}>
                  {([kind, list]) => (
                    <button type="button" class="filter-chip filter-chip-plain" onClick={() => go(params().q, kind, false)}>
                      <KindBadge kind={kind} size="sm" /> {list.length}
                    </button>
                  )}
                </For>
              </nav>
            </Show>
            <div class="search-results" classList={{ "is-stale": loading() }} data-testid="search-results">
              <For each={groups()}>
                {([kind, list]) => (
                  <section class="search-group" aria-labelledby={`search-group-${kind}`}>
                    <h2 class="search-group-title" id={`search-group-${kind}`}>
                      {pluralKind(kind)} <span class="count-pill">{list.length}</span>
                    </h2>
                    <ul class="search-result-list">
                      <For each={list}>
                        {(it) => (
                          <li class="search-result">
                            <KindBadge kind={it.kind} size="sm" />
                            <div class="search-result-main">
                              <A href={entityPath(it.ref)} class="search-result-title" innerHTML={highlightOr(it.highlights.title ?? (it.title ? undefined : it.highlights.name), it.title ?? it.name)} />
                              <span class="search-result-ref" innerHTML={highlightRef(it)} />
                              <Show when={it.highlights.description ?? it.description}>
                                <p class="search-result-desc" innerHTML={(it.description && highlightTerms(it.description, searched())) || highlightOr(it.highlights.description, it.description ?? "")} />
                              </Show>
                              <Show when={it.highlights.tags}>
                                <p class="search-result-tags">
                                  Tags: <span innerHTML={safeHighlight(it.highlights.tags!)} />
                                </p>
                              </Show>
                            </div>
                          </li>
                        )}
                      </For>
                    </ul>
                  </section>
                )}
              </For>
            </div>
          </Show>
        </Show>
      </Show>
      {/* Plugin documents (TechDocs pages) for the same text, grouped by plugin, below the catalog's results. */}
      <Show when={!params().kind && params().q.trim()}>
        <div class="search-results">
          <DocumentResults q={params().q} variant="page" onAnswer={setDocs} />
        </div>
      </Show>
    </div>
  );
}
