/**
 * `/catalog`: the entity explorer. Filter state lives in the URL (shareable, back/forward work); facet
 * counts come from /entity-facets, rows from cursor-paged /entities/by-query, virtualised in EntityTable.
 */
import { useLocation, useNavigate } from "@solidjs/router";
import { batch, createEffect, createMemo, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import { fetchFacets } from "../api/entities";
import type { EntityQuery } from "../api/params";
import { EmptyState } from "../components/EmptyState";
import { EntityTable } from "../components/EntityTable";
import { ErrorState } from "../components/ErrorState";
import { FacetGroup } from "../components/FacetGroup";
import { FilterChips } from "../components/FilterChips";
import { Icon } from "../components/Icon";
import { createEntityPager } from "../lib/create-entity-pager";
import {
  CATALOG_FACETS,
  type CatalogFilterState,
  clearFacet,
  defaultFilterState,
  facetRequests,
  hasActiveFilters,
  nextSort,
  parseFilterState,
  serializeFilterState,
  toggleFacetValue,
} from "../lib/filter-state";
import { catalogQuery, FIRST_PAGE_SIZE, PAGE_SIZE } from "../lib/catalog-query";
import { markOnce } from "../lib/perf";
import { useSession } from "../lib/session";
import { starredRefs } from "../lib/stars";
import type { FacetValue } from "../../../contract/catalog-api";
import { formatCount } from "../lib/format";

export default function Catalog(): JSX.Element {
  const location = useLocation();
  const navigate = useNavigate();
  const state = createMemo(() => parseFilterState(location.search), undefined, {
    equals: (a, b) => serializeFilterState(a) === serializeFilterState(b),
  });

  const update = (next: CatalogFilterState, replace = false) => {
    const qs = serializeFilterState(next);
    navigate(`/catalog${qs ? `?${qs}` : ""}`, { replace, scroll: false });
  };

  // Free text: typed locally, written to the URL after a short pause.
  const [text, setText] = createSignal(state().q);
  createEffect(on(() => state().q, (q) => q !== text().trim() && setText(q), { defer: true }));
  let textTimer: ReturnType<typeof setTimeout> | undefined;
  const onText = (v: string) => {
    setText(v);
    clearTimeout(textTimer);
    textTimer = setTimeout(() => update({ ...state(), q: v.trim() }, true), 200);
  };
  onCleanup(() => clearTimeout(textTimer));

  // The session's ownership claims (user ref, groups, their parents), for "owned by me or my groups".
  const session = useSession();
  const claims = () => (session?.error ? [] : (session?.()?.ownershipRefs ?? []));
  const query = createMemo<EntityQuery | null>(() => catalogQuery(state(), state().starred ? starredRefs() : [], claims()), null, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });

  const pager = createEntityPager(query, { pageSize: PAGE_SIZE, firstPageSize: FIRST_PAGE_SIZE });

  // Facet counts: a few grouped requests (see facetRequests); old counts stay, dimmed, while new ones load.
  const [facets, setFacets] = createSignal<Record<string, FacetValue[]>>({});
  const [facetsLoading, setFacetsLoading] = createSignal(true);
  const [facetsError, setFacetsError] = createSignal<unknown>();
  let facetController: AbortController | undefined;
  const facetKey = createMemo(() => JSON.stringify(facetRequests(state(), state().starred ? starredRefs() : [], claims())));
  createEffect(
    on(facetKey, (key) => {
      facetController?.abort();
      const c = (facetController = new AbortController());
      const requests = JSON.parse(key) as ReturnType<typeof facetRequests>;
      setFacetsLoading(true);
      Promise.all(requests.map((r) => fetchFacets(r.facets, r.filter, c.signal))).then(
        (results) => {
          if (c.signal.aborted) return;
          const merged: Record<string, FacetValue[]> = {};
          for (const r of results) Object.assign(merged, r.facets);
          batch(() => {
            setFacets(merged);
            setFacetsError(undefined);
            setFacetsLoading(false);
          });
        },
        (err: unknown) => {
          if (c.signal.aborted) return;
          batch(() => {
            setFacetsError(err);
            setFacetsLoading(false);
          });
        },
      );
    }),
  );
  onCleanup(() => facetController?.abort());

  const [filtersOpen, setFiltersOpen] = createSignal(false);
  const activeCount = () => CATALOG_FACETS.reduce((n, f) => n + state().selected[f.id].length, 0);
  const sortHidesMissing = () => state().sort !== "name" && state().sort !== "kind";

  return (
    <div class="page catalog-page">
      <div class="page-header">
        <div class="page-header-row">
          <div>
            <h1>Catalog</h1>
            <p class="page-subtitle" aria-live="polite">
              <Show when={!pager.initialLoading()} fallback={<span>Loading entities…</span>}>
                {formatCount(pager.total())} {pager.total() === 1 ? "entity" : "entities"}
                {hasActiveFilters(state()) ? " match your filters" : " in the catalog"}
              </Show>
            </p>
          </div>
        </div>
      </div>

      <div class="catalog-layout">
        <aside class="facet-panel" classList={{ "is-open": filtersOpen() }} aria-label="Filters" id="catalog-filters">
          <div class="facet-panel-header">
            <h2>Filters</h2>
            <button type="button" class="icon-button facet-panel-close" aria-label="Close filters" onClick={() => setFiltersOpen(false)}>
              <Icon name="close" />
            </button>
          </div>
          <div class="segmented" role="group" aria-label="Show">
            <button type="button" aria-pressed={!state().starred} onClick={() => update({ ...state(), starred: false })}>
              All
            </button>
            <button type="button" aria-pressed={state().starred} onClick={() => update({ ...state(), starred: true })}>
              <Icon name="star" size={14} /> Starred ({starredRefs().length})
            </button>
          </div>
          <Show when={claims().length > 0}>
            <label class="field-check owned-toggle">
              <input type="checkbox" checked={state().mine} onChange={(e) => update({ ...state(), mine: e.currentTarget.checked })} data-testid="owned-by-me" />
              <span>Owned by me or my groups</span>
            </label>
          </Show>
          <Show when={facetsError()}>
            <ErrorState compact error={facetsError()} />
          </Show>
          <For each={CATALOG_FACETS}>
            {(f) => (
              <FacetGroup
                id={f.id}
                label={f.label}
                values={facets()[f.field] ?? []}
                selected={state().selected[f.id]}
                loading={facetsLoading()}
                onToggle={(v) => update(toggleFacetValue(state(), f.id, v))}
                onClear={() => update(clearFacet(state(), f.id))}
              />
            )}
          </For>
          <Show when={facetsLoading() && Object.keys(facets()).length === 0}>
            <div class="facet-skeleton" aria-hidden="true">
              <For each={[1, 2, 3]}>
                {() => (
                  <div class="facet">
                    <span class="skeleton facet-skeleton-line w40" />
                    <span class="skeleton facet-skeleton-line w80" />
                    <span class="skeleton facet-skeleton-line w70" />
                  </div>
                )}
              </For>
            </div>
          </Show>
        </aside>

        <section class="catalog-results" aria-label="Entities">
          <div class="toolbar">
            <div class="text-filter">
              <Icon name="search" size={16} class="text-filter-icon" />
              <input
                type="search"
                aria-label="Filter entities by name, title or description"
                placeholder="Filter by name, title or description"
                value={text()}
                onInput={(e) => onText(e.currentTarget.value)}
                data-testid="catalog-text-filter"
              />
            </div>
            <button type="button" class="button button-secondary filters-button" aria-expanded={filtersOpen()} aria-controls="catalog-filters" onClick={() => setFiltersOpen(true)}>
              <Icon name="filter" size={16} /> Filters
              <Show when={activeCount() > 0}>
                <span class="count-pill">{activeCount()}</span>
              </Show>
            </button>
          </div>
          <FilterChips
            state={state()}
            onRemove={(facet, value) => update(toggleFacetValue(state(), facet, value))}
            onClearText={() => {
              setText("");
              update({ ...state(), q: "" });
            }}
            onClearStarred={() => update({ ...state(), starred: false })}
            onClearMine={() => update({ ...state(), mine: false })}
            onClearAll={() => {
              setText("");
              update({ ...defaultFilterState(), sort: state().sort, order: state().order });
            }}
          />
          <Show when={sortHidesMissing()}>
            <p class="hint">
              <Icon name="info" size={14} /> Sorted by {state().sort}: entities that have no {state().sort} are not listed.
            </p>
          </Show>

          <Show when={pager.error() && pager.rows().length === 0}>
            <ErrorState error={pager.error()} onRetry={pager.retry} />
          </Show>
          <Show when={!pager.error() || pager.rows().length > 0}>
            <Show
              when={pager.initialLoading() || pager.rows().length > 0}
              fallback={
                <EmptyState
                  icon={state().starred ? "star" : "search"}
                  title={state().starred ? "No starred entities match" : state().mine && claims().length === 0 ? "Nothing is owned by you yet" : hasActiveFilters(state()) ? "No entities match these filters" : "The catalog is empty"}
                  actions={
                    <Show when={hasActiveFilters(state())}>
                      <button
                        type="button"
                        class="button button-secondary"
                        onClick={() => {
                          setText("");
                          update(defaultFilterState());
                        }}
                      >
                        Clear filters
                      </button>
                    </Show>
                  }
                >
                  <p>
                    {state().starred
                      ? "Star entities from their page or from this table to collect them here."
                      : state().mine
                        ? "Entities whose spec.owner names you or one of your groups (or a parent group) show up here."
                      : hasActiveFilters(state())
                        ? "Try removing a filter or searching for a shorter term."
                        : "Register a catalog-info.yaml or load the demo catalog with npm run catalog:load catalog/demo."}
                  </p>
                </EmptyState>
              }
            >
              <div class="table-card">
                <EntityTable
                  rows={pager.rows()}
                  total={pager.total()}
                  loading={pager.initialLoading()}
                  loadingMore={pager.loadingMore()}
                  hasMore={pager.hasMore() && !pager.error()}
                  onLoadMore={pager.loadMore}
                  sort={state().sort}
                  order={state().order}
                  onSort={(key) => update(nextSort(state(), key))}
                  onRowsRendered={() => markOnce("edgestage:catalog-rows")}
                />
              </div>
              <Show when={pager.error() && pager.rows().length > 0}>
                <ErrorState compact error={pager.error()} onRetry={pager.retry} />
              </Show>
              <Show when={!pager.initialLoading() && !pager.hasMore() && pager.rows().length > 20}>
                <p class="table-end muted small">All {formatCount(pager.rows().length)} entities shown.</p>
              </Show>
            </Show>
          </Show>
        </section>
      </div>
    </div>
  );
}
