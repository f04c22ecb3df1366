/** An entity's change history from /changes?entityRef=, newest first, with field-level diffs. */
import { createResource, createSignal, For, type JSX, Show } from "solid-js";
import { fetchChanges } from "../api/changes";
import { CHANGE_LOG_RETENTION_DAYS, type ChangeItem } from "../../../contract/catalog-api";
import { ChangeRow } from "./ChangeRow";
import { EmptyState } from "./EmptyState";
import { ErrorState } from "./ErrorState";
import { SkeletonLines } from "./Skeleton";

function formatValue(v: unknown): string {
  if (v === undefined || v === null) return "—";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 159)}…` : s;
}

function Diff(props: { change: ChangeItem }): JSX.Element {
  return (
    <Show when={props.change.diff && props.change.diff.length > 0}>
      <details class="diff">
        <summary>Show changed fields</summary>
        <table class="diff-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.change.diff!}>
              {(d) => (
                <tr>
                  <td>
                    <code>{d.path}</code>
                  </td>
                  <td class="diff-before">
                    <code>{formatValue(d.before)}</code>
                  </td>
                  <td class="diff-after">
                    <code>{formatValue(d.after)}</code>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </details>
    </Show>
  );
}

export function ChangeHistory(props: { entityRef: string }): JSX.Element {
  const [pages, setPages] = createSignal<ChangeItem[][]>([]);
  const [cursor, setCursor] = createSignal<string | undefined>();
  const [more, setMore] = createSignal(false);
  const [moreError, setMoreError] = createSignal<unknown>();
  const [first, { refetch }] = createResource(
    () => props.entityRef,
    async (ref) => {
      const res = await fetchChanges({ entityRef: ref, limit: 25 });
      setPages([res.items]);
      setCursor(res.pageInfo.nextCursor);
      return res;
    },
  );
  const loadMore = async () => {
    const c = cursor();
    if (!c) return;
    setMore(true);
    setMoreError(undefined);
    try {
      const res = await fetchChanges({ entityRef: props.entityRef, cursor: c, limit: 25 });
      setPages((p) => [...p, res.items]);
      setCursor(res.pageInfo.nextCursor);
    } catch (err) {
      setMoreError(err);
    } finally {
      setMore(false);
    }
  };
  const items = () => pages().flat();
  return (
    <div class="history" data-testid="change-history">
      <Show when={!first.error} fallback={<ErrorState error={first.error} onRetry={() => void refetch()} />}>
        <Show when={!first.loading || items().length > 0} fallback={<SkeletonLines lines={5} />}>
          <Show
            when={items().length > 0}
            fallback={
              <EmptyState compact icon="history" title="No recorded changes">
                <p>Changes appear here when a push or refresh adds, updates or removes this entity.</p>
              </EmptyState>
            }
          >
            <ol class="timeline">
              <For each={items()}>
                {(c) => (
                  <li class="timeline-item">
                    <ChangeRow change={c} showEntity={false} />
                    <Diff change={c} />
                  </li>
                )}
              </For>
            </ol>
            <Show when={moreError()}>
              <ErrorState compact error={moreError()} onRetry={() => void loadMore()} />
            </Show>
            <Show
              when={cursor()}
              fallback={<p class="muted small">The change log keeps changes for {CHANGE_LOG_RETENTION_DAYS} days.</p>}
            >
              <button type="button" class="button button-secondary" disabled={more()} onClick={() => void loadMore()}>
                {more() ? "Loading…" : "Load older changes"}
              </button>
            </Show>
          </Show>
        </Show>
      </Show>
    </div>
  );
}
