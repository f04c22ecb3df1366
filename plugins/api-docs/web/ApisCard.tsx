/**
 * On a component: the APIs it provides and consumes, each with its type and lifecycle and a link straight
 * to its definition. The relations say which; one catalog query reads their details.
 */
import { createMemo, For, type JSX, Show } from "solid-js";
import { createData, EmptyState, ErrorState, SkeletonLines, type PluginEntityProps } from "../../../web/src/plugin-kit";
import { apiRowOf, entityPath, shortRef, type ApiRow } from "../lib/explorer";
import "./api-docs.css";

const FIELDS = ["kind", "metadata.name", "metadata.namespace", "metadata.title", "spec.type", "spec.lifecycle"];

export default function ApisCard(props: PluginEntityProps): JSX.Element {
  const refs = createMemo(() => {
    const provided: string[] = [];
    const consumed: string[] = [];
    for (const r of props.entity.relations ?? []) {
      if (r.type === "providesApi") provided.push(r.targetRef);
      else if (r.type === "consumesApi") consumed.push(r.targetRef);
    }
    return { provided, consumed, all: [...new Set([...provided, ...consumed])] };
  });
  const details = createData(
    () => (refs().all.length ? refs().all : false),
    async (all) => {
      const rows = new Map<string, ApiRow>();
      // Several filters in one query are OR'd: one exact filter per ref, 20 refs a request.
      for (let i = 0; i < all.length; i += 20) {
        const chunk = all.slice(i, i + 20);
        const res = await props.api.catalog.queryEntities({ filter: chunk.map((ref) => refFilter(ref)), fields: FIELDS, limit: 100 });
        for (const item of res.items) {
          const row = apiRowOf(item as Record<string, unknown>);
          if (row) rows.set(row.ref.toLowerCase(), row);
        }
      }
      return rows;
    },
  );
  const section = (title: string, list: string[]) => (
    <Show when={list.length > 0}>
      <h4 class="operation-section">{title}</h4>
      <ul class="api-card-list">
        <For each={list}>
          {(ref) => {
            const row = () => details.value()?.get(ref.toLowerCase());
            return (
              <li data-testid="api-card-item">
                <a href={`${entityPath(ref, "api")}?tab=definition`}>{row()?.title ?? shortRef(ref, "api")}</a>
                <Show when={row()}>
                  {(r) => (
                    <>
                      {" "}
                      <span class="chip chip-muted">{r().type}</span>
                      <Show when={r().lifecycle}>
                        <span class="chip">{r().lifecycle}</span>
                      </Show>
                    </>
                  )}
                </Show>
                <Show when={details.value() && !row()}>
                  <span class="muted small"> not in the catalog</span>
                </Show>
              </li>
            );
          }}
        </For>
      </ul>
    </Show>
  );
  return (
    <div class="api-card" data-testid="api-docs-card">
      <Show when={refs().all.length > 0} fallback={<EmptyState compact icon="code" title="Provides and consumes no APIs" />}>
        <Show when={details.error()}>
          <ErrorState compact error={details.error()} onRetry={details.refetch} />
        </Show>
        <Show when={details.value() || details.error()} fallback={<SkeletonLines lines={Math.min(4, refs().all.length)} />}>
          {section("Provides", refs().provided)}
          {section("Consumes", refs().consumed)}
        </Show>
      </Show>
    </div>
  );
}

function refFilter(ref: string): string {
  const m = /^(?:([^:/]+):)?(?:([^/]+)\/)?(.+)$/.exec(ref);
  return `kind=${m?.[1] ?? "api"},metadata.namespace=${m?.[2] ?? "default"},metadata.name=${m?.[3] ?? ref}`;
}
