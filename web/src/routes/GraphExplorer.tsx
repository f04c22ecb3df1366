/**
 * `/graph?root=<ref>&depth=2&relations=ownedBy,partOf&hide=user&dir=LR`: the full-page relation explorer.
 * Every control writes to the URL, so a view can be shared; clicking an entity re-centres the graph on it.
 */
import { A, useLocation, useNavigate } from "@solidjs/router";
import { createMemo, For, type JSX, Show } from "solid-js";
import { LIST_FIELDS, listEntities } from "../api/entities";
import { DataView } from "../components/DataView";
import { lazyView } from "../components/LazyView";
import { Skeleton } from "../components/Skeleton";
import { createData } from "../lib/create-data";
import { EmptyState } from "../components/EmptyState";
import { EntityRefLink } from "../components/EntityRefLink";
import { Icon } from "../components/Icon";
import { KindBadge } from "../components/KindBadge";
import { SearchBox } from "../components/SearchBox";
import { displayName, entityPath, entityRefOf, tryParseEntityRef } from "../lib/entity-ref";
import { GRAPH_RELATIONS } from "../lib/graph-model";
import { KIND_ORDER, kindClass, kindLabel } from "../lib/kinds";
import type { PartialEntity } from "../../../contract/entity";

const RelationsGraph = lazyView(() => import("../components/RelationsGraph"));

interface ExplorerState {
  root: string;
  depth: number;
  relations: string[];
  hide: string[];
  dir: "LR" | "TB";
}

const ALL = GRAPH_RELATIONS.map((r) => r.type);

function parse(search: string): ExplorerState {
  const sp = new URLSearchParams(search);
  const depth = Number(sp.get("depth") ?? "2");
  const rel = sp.get("relations");
  return {
    root: (sp.get("root") ?? "").toLowerCase(),
    depth: Number.isInteger(depth) && depth >= 1 && depth <= 4 ? depth : 2,
    relations: rel ? ALL.filter((r) => rel.split(",").some((x) => x.toLowerCase() === r.toLowerCase())) : ALL,
    hide: (sp.get("hide") ?? "").split(",").filter(Boolean).map((k) => k.toLowerCase()),
    dir: sp.get("dir") === "TB" ? "TB" : "LR",
  };
}

function serialize(s: ExplorerState): string {
  const sp = new URLSearchParams();
  if (s.root) sp.set("root", s.root);
  if (s.depth !== 2) sp.set("depth", String(s.depth));
  if (s.relations.length !== ALL.length) sp.set("relations", s.relations.join(","));
  if (s.hide.length) sp.set("hide", s.hide.join(","));
  if (s.dir !== "LR") sp.set("dir", s.dir);
  return sp.toString();
}

function StartList(props: { items: PartialEntity[] | undefined; empty: string }): JSX.Element {
  return (
    <ul class="entity-list">
      <For each={props.items ?? []} fallback={<li class="muted">{props.empty}</li>}>
        {(e) => (
          <li class="entity-list-item">
            <KindBadge kind={e.kind} size="sm" />
            <div class="entity-list-main">
              <A href={`/graph?root=${encodeURIComponent(entityRefOf(e))}`} class="entity-list-title">
                {displayName(e)}
              </A>
              <Show when={e.metadata?.description}>
                <span class="entity-list-desc">{e.metadata!.description}</span>
              </Show>
            </div>
          </li>
        )}
      </For>
    </ul>
  );
}

function Suggestions(): JSX.Element {
  const systems = createData(() => "kind=system", (f) => listEntities({ filter: [f], fields: LIST_FIELDS, orderField: ["metadata.name", "asc"], limit: 6 }));
  const groups = createData(() => "kind=group", (f) => listEntities({ filter: [f], fields: LIST_FIELDS, orderField: ["metadata.name", "asc"], limit: 6 }));
  return (
    <div class="card-grid two">
      <section class="card">
        <header class="card-header">
          <h2 class="card-title">Start from a system</h2>
        </header>
        <div class="card-body">
          <DataView data={systems}>{(r) => <StartList items={r.items} empty="No systems in the catalog." />}</DataView>
        </div>
      </section>
      <section class="card">
        <header class="card-header">
          <h2 class="card-title">Start from a team</h2>
        </header>
        <div class="card-body">
          <DataView data={groups}>{(r) => <StartList items={r.items} empty="No groups in the catalog." />}</DataView>
        </div>
      </section>
    </div>
  );
}

export default function GraphExplorer(): JSX.Element {
  const location = useLocation();
  const navigate = useNavigate();
  const state = createMemo(() => parse(location.search), undefined, { equals: (a, b) => serialize(a) === serialize(b) });
  const set = (patch: Partial<ExplorerState>, replace = false) => navigate(`/graph?${serialize({ ...state(), ...patch })}`, { replace, scroll: false });
  const rootValid = () => Boolean(tryParseEntityRef(state().root));

  const toggleRelation = (t: string) => {
    const cur = state().relations;
    const next = cur.includes(t) ? cur.filter((r) => r !== t) : ALL.filter((r) => cur.includes(r) || r === t);
    if (next.length) set({ relations: next }, true);
  };
  const toggleKind = (k: string) => {
    const cur = state().hide;
    set({ hide: cur.includes(k) ? cur.filter((x) => x !== k) : [...cur, k] }, true);
  };

  return (
    <div class="page graph-page">
      <div class="page-header">
        <h1>Relations graph</h1>
        <p class="page-subtitle">How entities connect through ownership, systems, APIs and dependencies. Click an entity to centre the graph on it.</p>
      </div>

      <div class="graph-toolbar card">
        <div class="graph-toolbar-row">
          <div class="graph-root">
            <span class="fact-label">Root</span>
            <Show when={rootValid()} fallback={<span class="muted">none selected</span>}>
              <EntityRefLink entityRef={state().root} showKind />
            </Show>
          </div>
          <div class="graph-picker">
            <SearchBox placeholder="Centre on another entity…" label="Choose the root entity" onSelect={(item) => set({ root: item.ref.toLowerCase() })} />
          </div>
          <Show when={rootValid()}>
            <A class="button button-secondary" href={entityPath(state().root)}>
              Open entity page
            </A>
          </Show>
        </div>
        <div class="graph-toolbar-row">
          <div class="control">
            <span class="fact-label" id="depth-label">
              Depth
            </span>
            <div class="segmented segmented-sm" role="group" aria-labelledby="depth-label">
              <For each={[1, 2, 3, 4]}>
                {(d) => (
                  <button type="button" aria-pressed={state().depth === d} onClick={() => set({ depth: d }, true)}>
                    {d}
                  </button>
                )}
              </For>
            </div>
          </div>
          <div class="control">
            <span class="fact-label" id="dir-label">
              Layout
            </span>
            <div class="segmented segmented-sm" role="group" aria-labelledby="dir-label">
              <button type="button" aria-pressed={state().dir === "LR"} onClick={() => set({ dir: "LR" }, true)}>
                Left → right
              </button>
              <button type="button" aria-pressed={state().dir === "TB"} onClick={() => set({ dir: "TB" }, true)}>
                Top → bottom
              </button>
            </div>
          </div>
        </div>
        <fieldset class="chip-toggles">
          <legend class="fact-label">Relations</legend>
          <For each={GRAPH_RELATIONS}>
            {(r) => (
              <label class="chip-toggle">
                <input type="checkbox" checked={state().relations.includes(r.type)} onChange={() => toggleRelation(r.type)} />
                <span>{r.label}</span>
              </label>
            )}
          </For>
        </fieldset>
        <fieldset class="chip-toggles">
          <legend class="fact-label">Kinds</legend>
          <For each={KIND_ORDER.filter((k) => k !== "location" && k !== "template")}>
            {(k) => (
              <label class="chip-toggle">
                <input type="checkbox" checked={!state().hide.includes(k)} onChange={() => toggleKind(k)} />
                <span class={`legend-dot kind-${kindClass(k)}`} aria-hidden="true" />
                <span>{kindLabel(k)}</span>
              </label>
            )}
          </For>
        </fieldset>
      </div>

      <Show
        when={rootValid()}
        fallback={
          <>
            <EmptyState icon="graph" title="Pick an entity to explore">
              <p>Search for a service, API, system or team above, or start from one of these.</p>
            </EmptyState>
            <Suggestions />
          </>
        }
      >
        <section class="card graph-full" aria-label="Graph">
          <RelationsGraph
            root={state().root}
            depth={state().depth}
            relations={state().relations}
            hiddenKinds={state().hide}
            direction={state().dir}
            height="max(520px, calc(100vh - 220px))"
            onActivate={(n) => (n.root ? navigate(entityPath(n.id)) : set({ root: n.id }))}
            fallback={<Skeleton height="max(520px, calc(100vh - 220px))" class="graph-skeleton" />}
          />
        </section>
        <p class="muted small">
          <Icon name="info" size={14} /> Clicking the root entity opens its page.
        </p>
      </Show>
    </div>
  );
}
