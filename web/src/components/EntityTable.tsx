/**
 * The catalog table. Rows are virtualised against the window scroll (only what is on screen plus a margin
 * is in the DOM) and the next cursor page loads as the end comes into view, so 10,000+ entities scroll
 * smoothly. Row height is fixed (--row-height) so positions are plain arithmetic.
 */
import { useNavigate } from "@solidjs/router";
import { createMemo, createSignal, For, type JSX, onCleanup, onMount, Show, createEffect } from "solid-js";
import { displayName, entityPathOf, entityRefOf, humanizeRef } from "../lib/entity-ref";
import type { SortKey, SortOrder } from "../lib/filter-state";
import type { PartialEntity } from "../../../contract/entity";
import { Icon } from "./Icon";
import { KindBadge } from "./KindBadge";
import { Skeleton } from "./Skeleton";
import { StarButton } from "./StarButton";

const ROW_HEIGHT = 52;
const OVERSCAN = 12;
const PREFETCH_ROWS = 60;

interface Column {
  key: string;
  label: string;
  sort?: SortKey;
  class: string;
}

const COLUMNS: Column[] = [
  { key: "name", label: "Name", sort: "name", class: "col-name" },
  { key: "kind", label: "Kind", sort: "kind", class: "col-kind" },
  { key: "type", label: "Type", sort: "type", class: "col-type" },
  { key: "owner", label: "Owner", sort: "owner", class: "col-owner" },
  { key: "lifecycle", label: "Lifecycle", sort: "lifecycle", class: "col-lifecycle" },
  { key: "system", label: "System", sort: "system", class: "col-system" },
  { key: "tags", label: "Tags", class: "col-tags" },
];

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

export function EntityTable(props: {
  rows: PartialEntity[];
  total: number;
  loading: boolean;
  loadingMore: boolean;
  hasMore: boolean;
  onLoadMore: () => void;
  sort: SortKey;
  order: SortOrder;
  onSort: (key: SortKey) => void;
  onRowsRendered?: () => void;
}): JSX.Element {
  const navigate = useNavigate();
  let body!: HTMLTableSectionElement;
  const [range, setRange] = createSignal({ start: 0, end: 30 });

  // The table body's offset in the document, refreshed when layout can have moved it (resize, new rows,
  // filter chips appearing), so scrolling itself only reads scrollY and never forces a layout.
  let bodyTop = 0;
  let bodyTopStale = true;
  const measure = () => {
    if (!body) return;
    if (bodyTopStale) {
      bodyTop = body.getBoundingClientRect().top + window.scrollY;
      bodyTopStale = false;
    }
    const top = bodyTop - window.scrollY;
    const viewTop = Math.max(0, -top);
    const viewBottom = viewTop + window.innerHeight;
    const start = Math.max(0, Math.floor(viewTop / ROW_HEIGHT) - OVERSCAN);
    const end = Math.min(props.rows.length, Math.ceil(viewBottom / ROW_HEIGHT) + OVERSCAN);
    const cur = range();
    if (cur.start !== start || cur.end !== end) setRange({ start, end });
    if (props.hasMore && !props.loadingMore && end + PREFETCH_ROWS >= props.rows.length) props.onLoadMore();
  };

  let frame = 0;
  const remeasure = () => {
    bodyTopStale = true;
    schedule();
  };
  const schedule = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      measure();
    });
  };

  onMount(() => {
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", remeasure, { passive: true });
    remeasure();
  });
  onCleanup(() => {
    window.removeEventListener("scroll", schedule);
    window.removeEventListener("resize", remeasure);
    cancelAnimationFrame(frame);
  });

  // New rows (first page, next page) → re-measure, which may also ask for the next page.
  createEffect(() => {
    void props.rows.length;
    void props.hasMore;
    void props.loadingMore;
    void props.loading;
    remeasure();
  });

  // The slice holds the entity objects themselves, so <For> keeps rows that stay on screen and only
  // creates the ones scrolling in (wrapping them in new objects would rebuild every row on each scroll).
  const visible = createMemo(() => {
    const { start, end } = range();
    return props.rows.slice(start, Math.min(end, props.rows.length));
  });
  const topPad = () => range().start * ROW_HEIGHT;
  const bottomPad = () => Math.max(0, props.rows.length - Math.min(range().end, props.rows.length)) * ROW_HEIGHT;

  createEffect(() => {
    if (!props.loading && visible().length > 0) props.onRowsRendered?.();
  });

  const ariaSort = (c: Column) => (c.sort && c.sort === props.sort ? (props.order === "asc" ? "ascending" : "descending") : undefined);

  const openRow = (e: MouseEvent, entity: PartialEntity) => {
    const target = e.target as HTMLElement;
    if (target.closest("a,button")) return;
    if (window.getSelection()?.toString()) return;
    navigate(entityPathOf(entity));
  };

  return (
    <table class="entity-table" aria-rowcount={props.total + 1} aria-busy={props.loading} data-testid="entity-table">
      <caption class="visually-hidden">Catalog entities</caption>
      <colgroup>
        <col class="col-star" />
        <For each={COLUMNS}>{(c) => <col class={c.class} />}</For>
      </colgroup>
      <thead>
        <tr aria-rowindex={1}>
          <th scope="col" class="col-star">
            <span class="visually-hidden">Starred</span>
          </th>
          <For each={COLUMNS}>
            {(c) => (
              <th scope="col" class={c.class} aria-sort={ariaSort(c)}>
                <Show when={c.sort} fallback={<span class="th-label">{c.label}</span>}>
                  <button type="button" class="th-sort" classList={{ "is-sorted": c.sort === props.sort }} onClick={() => props.onSort(c.sort!)}>
                    {c.label}
                    <Icon name={c.sort === props.sort && props.order === "desc" ? "arrowDown" : "arrowUp"} size={13} class="th-sort-icon" />
                  </button>
                </Show>
              </th>
            )}
          </For>
        </tr>
      </thead>
      <tbody ref={body}>
        <Show
          when={!props.loading}
          fallback={
            <For each={Array.from({ length: 10 })}>
              {() => (
                <tr class="row-skeleton" aria-hidden="true">
                  <td class="col-star" />
                  <td class="col-name">
                    <Skeleton width="70%" />
                    <Skeleton width="45%" height="0.75em" />
                  </td>
                  <td class="col-kind">
                    <Skeleton width="70%" />
                  </td>
                  <td class="col-type">
                    <Skeleton width="60%" />
                  </td>
                  <td class="col-owner">
                    <Skeleton width="65%" />
                  </td>
                  <td class="col-lifecycle">
                    <Skeleton width="60%" />
                  </td>
                  <td class="col-system">
                    <Skeleton width="55%" />
                  </td>
                  <td class="col-tags">
                    <Skeleton width="50%" />
                  </td>
                </tr>
              )}
            </For>
          }
        >
          <Show when={topPad() > 0}>
            <tr class="spacer" aria-hidden="true" style={{ height: `${topPad()}px` }} />
          </Show>
          <For each={visible()}>
            {(e, i) => {
              const ref = entityRefOf(e);
              const name = displayName(e);
              const owner = str(e.spec?.owner);
              const system = str(e.spec?.system);
              return (
                <tr aria-rowindex={range().start + i() + 2} class="entity-row" onClick={(ev) => openRow(ev, e)}>
                  <td class="col-star">
                    <StarButton size="sm" entityRef={ref} name={name} />
                  </td>
                  <td class="col-name">
                    <a href={entityPathOf(e)} class="cell-title">
                      {name}
                    </a>
                    <span class="cell-sub" title={e.metadata?.description}>
                      {e.metadata?.description || humanizeRef(ref)}
                    </span>
                  </td>
                  <td class="col-kind">
                    <KindBadge kind={e.kind} size="sm" />
                  </td>
                  <td class="col-type">{str(e.spec?.type)}</td>
                  <td class="col-owner" title={owner}>
                    {owner ? humanizeRef(owner) : ""}
                  </td>
                  <td class="col-lifecycle">
                    <Show when={str(e.spec?.lifecycle)}>
                      <span class={`lifecycle lifecycle-${str(e.spec?.lifecycle).toLowerCase()}`}>{str(e.spec?.lifecycle)}</span>
                    </Show>
                  </td>
                  <td class="col-system" title={system}>
                    {system ? humanizeRef(system) : ""}
                  </td>
                  <td class="col-tags">
                    <span class="tag-list">
                      <For each={(e.metadata?.tags ?? []).slice(0, 3)}>{(t) => <span class="tag">{t}</span>}</For>
                      <Show when={(e.metadata?.tags?.length ?? 0) > 3}>
                        <span class="tag tag-more">+{e.metadata!.tags!.length - 3}</span>
                      </Show>
                    </span>
                  </td>
                </tr>
              );
            }}
          </For>
          <Show when={bottomPad() > 0}>
            <tr class="spacer" aria-hidden="true" style={{ height: `${bottomPad()}px` }} />
          </Show>
          <Show when={props.hasMore}>
            <For each={[0, 1, 2]}>
              {() => (
                <tr class="row-skeleton" aria-hidden="true">
                  <td class="col-star" />
                  <td class="col-name">
                    <Skeleton width="60%" />
                  </td>
                  <td class="col-kind">
                    <Skeleton width="60%" />
                  </td>
                  <td class="col-type" />
                  <td class="col-owner" />
                  <td class="col-lifecycle" />
                  <td class="col-system" />
                  <td class="col-tags" />
                </tr>
              )}
            </For>
          </Show>
        </Show>
      </tbody>
    </table>
  );
}
