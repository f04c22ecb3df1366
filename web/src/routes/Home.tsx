/**
 * `/`: search; for a signed-in person their groups, what they own and its recent changes (MyWork); entity
 * counts per kind, starred entities and the latest catalog changes.
 */
import { A } from "@solidjs/router";
import { For, type JSX, onMount, Show } from "solid-js";
import { getChanges } from "../api/changes";
import { fetchEntitiesByRefs, getFacets, SUMMARY_FIELDS } from "../api/entities";
import { DataView } from "../components/DataView";
import { Card } from "../components/Card";
import { ChangeRow } from "../components/ChangeRow";
import { EmptyState } from "../components/EmptyState";
import { EntityListItem } from "../components/EntityListItem";
import { Icon } from "../components/Icon";
import { KindBadge } from "../components/KindBadge";
import { MyWork } from "../components/MyWork";
import { SearchBox } from "../components/SearchBox";
import { Skeleton } from "../components/Skeleton";
import { createData } from "../lib/create-data";
import { compareKinds, pluralKind } from "../lib/kinds";
import { markOnce } from "../lib/perf";
import { useSession } from "../lib/session";
import { starredRefs } from "../lib/stars";
import type { ChangesResponse, FacetsResponse } from "../../../contract/catalog-api";
import type { PartialEntity } from "../../../contract/entity";
import { formatCount } from "../lib/format";

function KindCounts(props: { facets: FacetsResponse }): JSX.Element {
  const kinds = () => [...(props.facets.facets.kind ?? [])].sort((a, b) => compareKinds(a.value, b.value));
  const total = () => kinds().reduce((n, k) => n + k.count, 0);
  onMount(() => markOnce("edgestage:home"));
  return (
    <Show
      when={total() > 0}
      fallback={
        <EmptyState icon="catalog" title="Your catalog is empty">
          <p>
            Register a repository's <code>catalog-info.yaml</code>, connect the GitHub app, or load the demo catalog with <code>npm run catalog:load catalog/demo</code>.
          </p>
        </EmptyState>
      }
    >
      <ul class="kind-counts" aria-label="Entities per kind">
        <For each={kinds()}>
          {(k) => (
            <li>
              <A href={`/catalog?kind=${encodeURIComponent(k.value.toLowerCase())}`} class={`kind-count kind-accent-${k.value.toLowerCase()}`}>
                <KindBadge kind={k.value} size="sm" />
                <span class="kind-count-number">{formatCount(k.count)}</span>
                <span class="kind-count-label">{pluralKind(k.value)}</span>
              </A>
            </li>
          )}
        </For>
      </ul>
      <p class="muted small">
        {formatCount(total())} entities in total · <A href="/catalog">Browse the catalog</A>
      </p>
    </Show>
  );
}

function Starred(): JSX.Element {
  const res = createData(() => starredRefs(), (refs) => fetchEntitiesByRefs(refs, SUMMARY_FIELDS));
  const items = () => (res.value()?.items ?? []).filter((e): e is PartialEntity => e !== null);
  return (
    <Show
      when={starredRefs().length > 0}
      fallback={
        <EmptyState compact icon="star" title="No starred entities yet">
          <p>Use the star on any entity to keep it here for quick access.</p>
        </EmptyState>
      }
    >
      <DataView data={res}>
        {() => (
          <ul class="entity-list">
            <For each={items()}>{(e) => <EntityListItem entity={e} star />}</For>
          </ul>
        )}
      </DataView>
      <Show when={res.value() && !res.loading() && items().length < starredRefs().length}>
        <p class="muted small">{starredRefs().length - items().length} starred entities are no longer in the catalog.</p>
      </Show>
    </Show>
  );
}

function RecentChanges(props: { changes: ChangesResponse }): JSX.Element {
  return (
    <Show
      when={props.changes.items.length > 0}
      fallback={
        <EmptyState compact icon="history" title="No changes recorded yet">
          <p>Entities added, updated or removed by pushes and refreshes show up here.</p>
        </EmptyState>
      }
    >
      <div class="change-list">
        <For each={props.changes.items}>{(c) => <ChangeRow change={c} />}</For>
      </div>
    </Show>
  );
}

export default function Home(): JSX.Element {
  const facets = createData(() => "kind", (f) => getFacets([f]));
  const changes = createData(() => 8, (limit) => getChanges({ limit }));
  const session = useSession();
  // The guest of local development owns nothing and is in no group: the "you" row would only be empty states.
  const person = () => {
    const s = session?.error ? null : session?.();
    return s?.type === "user" && s.user && s.user.source !== "guest" ? s : null;
  };
  return (
    <div class="page home">
      <section class="hero">
        <h1>Find anything in your software catalog</h1>
        <p class="page-subtitle">Services, APIs, systems, teams and the people behind them, in one place.</p>
        <SearchBox size="lg" autofocus label="Search the catalog" placeholder="Search services, APIs, teams…" testId="home-search" />
      </section>
      <Show when={person()}>{(s) => <MyWork session={s()} />}</Show>
      <Card title="Catalog at a glance" id="counts">
        <DataView
          data={facets}
          fallback={
            <div class="kind-counts">
              <For each={[1, 2, 3, 4, 5, 6]}>{() => <Skeleton height="76px" class="kind-count-skeleton" />}</For>
            </div>
          }
        >
          {(f) => <KindCounts facets={f} />}
        </DataView>
      </Card>
      <div class="card-grid two">
        <Card title="Starred" id="starred" count={starredRefs().length}>
          <Starred />
        </Card>
        <Card
          title="Recently changed"
          id="recent"
          actions={
            <A href="/catalog" class="link-subtle">
              <Icon name="catalog" size={14} /> Catalog
            </A>
          }
        >
          <DataView data={changes}>{(c) => <RecentChanges changes={c} />}</DataView>
        </Card>
      </div>
    </div>
  );
}
