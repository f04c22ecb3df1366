/**
 * Cursor paging over `/entities/by-query` for the catalog table: the first page when the query changes,
 * further pages on demand. A changed query aborts whatever is in flight, so stale pages never land.
 */
import { batch, createEffect, createSignal, on, onCleanup } from "solid-js";
import { queryEntities } from "../api/entities";
import type { EntityQuery } from "../api/params";
import type { PartialEntity } from "../../../contract/entity";

export interface EntityPager {
  rows: () => PartialEntity[];
  total: () => number;
  /** True until the first page of the current query has arrived. */
  initialLoading: () => boolean;
  loadingMore: () => boolean;
  error: () => unknown;
  hasMore: () => boolean;
  loadMore: () => void;
  retry: () => void;
}

/** `query()` returning null means "nothing can match" (e.g. starred view with no stars): no request is made. */
export function createEntityPager(query: () => EntityQuery | null, opts: { pageSize: number; firstPageSize?: number; onFirstPage?: () => void }): EntityPager {
  const [rows, setRows] = createSignal<PartialEntity[]>([]);
  const [total, setTotal] = createSignal(0);
  const [cursor, setCursor] = createSignal<string | undefined>();
  const [initialLoading, setInitialLoading] = createSignal(true);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const [generation, setGeneration] = createSignal(0);
  let controller: AbortController | undefined;

  const start = (q: EntityQuery | null) => {
    controller?.abort();
    if (q === null) {
      batch(() => {
        setRows([]);
        setTotal(0);
        setCursor(undefined);
        setError(undefined);
        setInitialLoading(false);
        setLoadingMore(false);
      });
      return;
    }
    const c = (controller = new AbortController());
    batch(() => {
      setInitialLoading(true);
      setLoadingMore(false);
      setError(undefined);
    });
    queryEntities({ ...q, limit: opts.firstPageSize ?? opts.pageSize }, c.signal).then(
      (res) => {
        if (c.signal.aborted) return;
        batch(() => {
          setRows(res.items);
          setTotal(Math.max(res.totalItems ?? 0, res.items.length));
          setCursor(res.pageInfo?.nextCursor);
          setInitialLoading(false);
        });
        opts.onFirstPage?.();
      },
      (err: unknown) => {
        if (c.signal.aborted) return;
        batch(() => {
          setRows([]);
          setTotal(0);
          setCursor(undefined);
          setError(err);
          setInitialLoading(false);
        });
      },
    );
  };

  createEffect(on([query, generation], ([q]) => start(q)));
  onCleanup(() => controller?.abort());

  const loadMore = () => {
    const next = cursor();
    if (!next || loadingMore() || initialLoading()) return;
    const c = controller ?? new AbortController();
    const q = query();
    setLoadingMore(true);
    queryEntities({ cursor: next, fields: q?.fields, limit: opts.pageSize }, c.signal).then(
      (res) => {
        if (c.signal.aborted || cursor() !== next) return;
        batch(() => {
          setRows((prev) => prev.concat(res.items));
          setCursor(res.pageInfo?.nextCursor);
          setLoadingMore(false);
        });
      },
      (err: unknown) => {
        if (c.signal.aborted) return;
        batch(() => {
          setError(err);
          setLoadingMore(false);
        });
      },
    );
  };

  return {
    rows,
    total,
    initialLoading,
    loadingMore,
    error,
    hasMore: () => cursor() !== undefined,
    loadMore,
    retry: () => {
      if (rows().length && cursor()) {
        setError(undefined);
        loadMore();
      } else setGeneration((g) => g + 1);
    },
  };
}
