/** /docs: every entity with docs, filterable by owner and kind, with each site's build state. */
import { A, useSearchParams } from "@solidjs/router";
import { createMemo, createResource, For, type JSX, Show } from "solid-js";
import type { PluginPageProps } from "../../../contract/plugin-web";
import { readerHref, type SiteSummary } from "./types";
import "./techdocs.css";

export default function DocsIndex(props: PluginPageProps): JSX.Element {
  const [params, setParams] = useSearchParams<{ owner?: string; kind?: string }>();
  const [all] = createResource(() => props.api.fetchJson<{ items: SiteSummary[] }>("/sites"));
  const owners = createMemo(() => [...new Set((all()?.items ?? []).map((s) => s.entity.owner).filter((o): o is string => !!o))].sort());
  const kinds = createMemo(() => [...new Set((all()?.items ?? []).map((s) => s.entity.kind))].sort());
  const ownerKey = (o: string) => o.toLowerCase().replace(/^group:/, "").replace(/^default\//, "");
  const items = createMemo(() =>
    (all()?.items ?? [])
      .filter((s) => !params.kind || s.entity.kind === params.kind)
      .filter((s) => !params.owner || ownerKey(s.entity.owner ?? "") === ownerKey(params.owner))
      .sort((a, b) => a.siteName.localeCompare(b.siteName)),
  );
  return (
    <div class="page techdocs-index" data-testid="techdocs-index">
      <div class="page-header">
        <h1>Documentation</h1>
      </div>
      <div class="techdocs-filters">
        <label>
          Owner{" "}
          <select value={params.owner ?? ""} onChange={(e) => setParams({ owner: e.currentTarget.value || undefined })} data-testid="techdocs-filter-owner">
            <option value="">All owners</option>
            <For each={owners()}>{(o) => <option value={o}>{o}</option>}</For>
          </select>
        </label>
        <label>
          Kind{" "}
          <select value={params.kind ?? ""} onChange={(e) => setParams({ kind: e.currentTarget.value || undefined })} data-testid="techdocs-filter-kind">
            <option value="">All kinds</option>
            <For each={kinds()}>{(k) => <option value={k}>{k}</option>}</For>
          </select>
        </label>
        <span class="muted">{items().length} documented entit{items().length === 1 ? "y" : "ies"}</span>
      </div>
      <Show when={all.error}>
        <p class="techdocs-problems">Could not load the docs index: {String(all.error?.message ?? all.error)}</p>
      </Show>
      <ul class="techdocs-index-list">
        <For each={items()} fallback={<Show when={!all.loading}><li class="muted">No documented entities{params.owner || params.kind ? " match these filters" : " yet"}.</li></Show>}>
          {(s) => (
            <li class="card techdocs-index-item">
              <A href={readerHref(s.entity)} class="techdocs-index-title">{s.siteName}</A>
              <span class="muted">
                {s.entity.kind}:{s.entity.namespace}/{s.entity.name}
                <Show when={s.entity.owner}> · {s.entity.owner}</Show> · {s.pageCount} page{s.pageCount === 1 ? "" : "s"}
              </span>
              <Show when={s.siteDescription}><p>{s.siteDescription}</p></Show>
              <Show when={s.problems.length > 0}>
                <p class="techdocs-problem-count" title={s.problems.map((p) => `${p.name}: ${p.message}`).join("\n")}>
                  {s.status === "failed" ? "Build failed" : `${s.problems.length} build problem${s.problems.length === 1 ? "" : "s"}`}: {s.problems[0]!.message}
                </p>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
