/**
 * `/api-docs`: every API in the catalog with its type, owner, lifecycle, providers and consumers, filtered
 * by type, owner, lifecycle and text (kept in the URL so a filtered view is a link). The catalog is read
 * page by page as the signed-in user; loading, empty, no-match and error states each say what to do.
 */
import { useSearchParams } from "@solidjs/router";
import { createMemo, For, type JSX, Show } from "solid-js";
import { createData, EmptyState, ErrorState, Skeleton, type PluginPageProps } from "../../../web/src/plugin-kit";
import { apiRowOf, entityPath, facetCounts, filterApis, ownerLabel, shortRef, type ApiFilter, type ApiRow, type FacetCount } from "../lib/explorer";
import "./api-docs.css";

const FIELDS = ["kind", "metadata.name", "metadata.namespace", "metadata.title", "metadata.description", "metadata.tags", "spec.type", "spec.owner", "spec.lifecycle", "spec.system", "relations"];
/** Pages of 500 up to 10,000 APIs; past that the list says it is partial. */
const PAGE = 500;
const MAX_PAGES = 20;

async function loadApis(api: PluginPageProps["api"]): Promise<{ rows: ApiRow[]; partial: boolean }> {
  const rows: ApiRow[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await api.catalog.queryEntities({ filter: "kind=api", fields: FIELDS, limit: PAGE, cursor });
    for (const item of res.items) {
      const row = apiRowOf(item as Record<string, unknown>);
      if (row) rows.push(row);
    }
    cursor = res.pageInfo.nextCursor;
    if (!cursor) return { rows, partial: false };
  }
  return { rows, partial: true };
}

function RefList(props: { refs: string[]; kind: string }): JSX.Element {
  return (
    <Show when={props.refs.length > 0} fallback={<span class="muted">—</span>}>
      <ul class="api-ref-list">
        <For each={props.refs.slice(0, 5)}>
          {(ref) => (
            <li>
              <a href={entityPath(ref, props.kind)}>{shortRef(ref, props.kind)}</a>
            </li>
          )}
        </For>
        <Show when={props.refs.length > 5}>
          <li class="muted small">+{props.refs.length - 5} more</li>
        </Show>
      </ul>
    </Show>
  );
}

function FacetSelect(props: { label: string; name: keyof ApiFilter; value?: string; options: FacetCount[]; onChange: (v: string | undefined) => void }): JSX.Element {
  return (
    <label class="api-facet">
      <span class="fact-label">{props.label}</span>
      <select data-testid={`api-filter-${props.name}`} value={props.value ?? ""} onChange={(e) => props.onChange(e.currentTarget.value || undefined)}>
        <option value="">All</option>
        <For each={props.options}>{(o) => <option value={o.value}>{`${o.value} (${o.count})`}</option>}</For>
        <Show when={props.value && !props.options.some((o) => o.value.toLowerCase() === props.value!.toLowerCase())}>
          <option value={props.value}>{`${props.value} (0)`}</option>
        </Show>
      </select>
    </label>
  );
}

export default function ExplorerPage(props: PluginPageProps): JSX.Element {
  const [params, setParams] = useSearchParams<{ type?: string; owner?: string; lifecycle?: string; q?: string }>();
  const data = createData(
    () => true,
    () => loadApis(props.api),
  );
  const filter = createMemo<ApiFilter>(() => ({ type: params.type || undefined, owner: params.owner || undefined, lifecycle: params.lifecycle || undefined, text: params.q || undefined }));
  const rows = createMemo(() => filterApis(data.value()?.rows ?? [], filter()));
  const facets = createMemo(() => facetCounts(data.value()?.rows ?? [], filter()));
  const anyFilter = () => Boolean(params.type || params.owner || params.lifecycle || params.q);
  const set = (key: "type" | "owner" | "lifecycle" | "q", value: string | undefined) => setParams({ [key]: value || undefined }, { replace: true });
  return (
    <div class="page api-explorer" data-testid="api-explorer">
      <header class="page-header">
        <h1>APIs</h1>
        <p class="muted">Every API in the catalog: what it is, who owns it, and which components provide and consume it.</p>
      </header>
      <div class="api-explorer-filters" role="search">
        <label class="api-facet api-facet-text">
          <span class="fact-label">Search</span>
          <input type="search" class="facet-filter" placeholder="Name, description, tag, component…" aria-label="Search APIs" data-testid="api-filter-text" value={params.q ?? ""} onInput={(e) => set("q", e.currentTarget.value)} />
        </label>
        <FacetSelect label="Type" name="type" value={params.type} options={facets().type} onChange={(v) => set("type", v)} />
        <FacetSelect label="Owner" name="owner" value={params.owner} options={facets().owner} onChange={(v) => set("owner", v)} />
        <FacetSelect label="Lifecycle" name="lifecycle" value={params.lifecycle} options={facets().lifecycle} onChange={(v) => set("lifecycle", v)} />
        <Show when={anyFilter()}>
          <button type="button" class="button button-secondary" onClick={() => setParams({ type: undefined, owner: undefined, lifecycle: undefined, q: undefined }, { replace: true })}>
            Clear filters
          </button>
        </Show>
      </div>
      <Show when={!data.error()} fallback={<ErrorState error={data.error()} onRetry={data.refetch} />}>
        <Show
          when={data.value()}
          fallback={
            <div data-testid="api-explorer-loading" aria-busy="true">
              <Skeleton height="40px" />
              <Skeleton height="240px" />
            </div>
          }
        >
          {(d) => (
            <Show
              when={d().rows.length > 0}
              fallback={
                <EmptyState icon="code" title="No APIs in the catalog yet">
                  <p>
                    Register an entity of <code>kind: API</code> with a <code>spec.definition</code> and it shows here.
                  </p>
                </EmptyState>
              }
            >
              <p class="muted small" data-testid="api-explorer-count" aria-live="polite">
                {rows().length === d().rows.length ? `${d().rows.length} APIs` : `${rows().length} of ${d().rows.length} APIs`}
                <Show when={d().partial}> (the first {d().rows.length} in the catalog)</Show>
              </p>
              <Show
                when={rows().length > 0}
                fallback={
                  <EmptyState icon="filter" title="No APIs match these filters">
                    <button type="button" class="button button-secondary" onClick={() => setParams({ type: undefined, owner: undefined, lifecycle: undefined, q: undefined }, { replace: true })}>
                      Clear filters
                    </button>
                  </EmptyState>
                }
              >
                <div class="table-wrap">
                  <table class="params-table api-explorer-table" data-testid="api-explorer-table">
                    <thead>
                      <tr>
                        <th scope="col">API</th>
                        <th scope="col">Type</th>
                        <th scope="col">Owner</th>
                        <th scope="col">Lifecycle</th>
                        <th scope="col">Provided by</th>
                        <th scope="col">Consumed by</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={rows()}>
                        {(r) => (
                          <tr data-testid="api-explorer-row" data-ref={r.ref}>
                            <td>
                              <a href={`${entityPath(r.ref, "api")}?tab=definition`} class="api-explorer-name">
                                {r.title}
                              </a>
                              <Show when={r.description}>
                                <p class="muted small api-explorer-desc">{r.description}</p>
                              </Show>
                            </td>
                            <td>
                              <button type="button" class="chip chip-button" title={`Only ${r.type} APIs`} onClick={() => set("type", r.type)}>
                                {r.type}
                              </button>
                            </td>
                            <td>
                              <Show when={r.owner} fallback={<span class="muted">—</span>}>
                                <a href={entityPath(r.owner!.includes(":") ? r.owner! : `group:${r.owner}`, "group")}>{ownerLabel(r.owner)}</a>
                              </Show>
                            </td>
                            <td>
                              <Show when={r.lifecycle} fallback={<span class="muted">—</span>}>
                                <span class={`chip lifecycle-${r.lifecycle}`}>{r.lifecycle}</span>
                              </Show>
                            </td>
                            <td>
                              <RefList refs={r.providers} kind="component" />
                            </td>
                            <td>
                              <RefList refs={r.consumers} kind="component" />
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>
            </Show>
          )}
        </Show>
      </Show>
    </div>
  );
}
