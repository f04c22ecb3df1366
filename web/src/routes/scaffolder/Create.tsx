/**
 * `/create`: the software templates (Template entities from the catalog API) as cards, filtered by type,
 * tags and owner, with a search box; the filter state is in the URL.
 */
import { A, useLocation, useNavigate } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, type JSX, Match, onCleanup, Show, Switch } from "solid-js";
import { queryEntities } from "../../api/entities";
import { EmptyState } from "../../components/EmptyState";
import { EntityRefLink } from "../../components/EntityRefLink";
import { ErrorState } from "../../components/ErrorState";
import { Icon } from "../../components/Icon";
import { Skeleton } from "../../components/Skeleton";
import { humanizeRef } from "../../lib/entity-ref";
import {
  facetCounts,
  filterTemplates,
  parseTemplateFilters,
  serializeTemplateFilters,
  TEMPLATE_FIELDS,
  templateCard,
  toggle,
  type TemplateCardData,
  type TemplateFilters,
} from "../../lib/scaffolder/templates";

async function loadTemplates(): Promise<TemplateCardData[]> {
  const res = await queryEntities({ filter: ["kind=template"], fields: TEMPLATE_FIELDS, orderField: ["metadata.name", "asc"], limit: 1000 });
  return res.items.map(templateCard);
}

export default function Create(): JSX.Element {
  const location = useLocation();
  const navigate = useNavigate();
  const [templates, { refetch }] = createResource(loadTemplates);
  const filters = createMemo(() => parseTemplateFilters(location.search), undefined, { equals: (a, b) => serializeTemplateFilters(a) === serializeTemplateFilters(b) });
  const update = (f: TemplateFilters, replace = false) => {
    const qs = serializeTemplateFilters(f);
    navigate(`/create${qs ? `?${qs}` : ""}`, { replace, scroll: false });
  };
  const [text, setText] = createSignal(filters().q);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const onText = (v: string) => {
    setText(v);
    clearTimeout(timer);
    timer = setTimeout(() => update({ ...filters(), q: v }, true), 150);
  };
  const all = () => templates() ?? [];
  const shown = createMemo(() => filterTemplates(all(), filters()));
  const groups = createMemo(() => [
    { id: "types" as const, title: "Type", values: facetCounts(all(), (c) => [c.type]), label: (v: string) => v },
    { id: "tags" as const, title: "Tags", values: facetCounts(all(), (c) => c.tags), label: (v: string) => v },
    { id: "owners" as const, title: "Owner", values: facetCounts(all(), (c) => (c.owner ? [c.owner] : [])), label: (v: string) => humanizeRef(v) },
  ]);
  const active = () => filters().types.length + filters().tags.length + filters().owners.length + (filters().q ? 1 : 0);

  return (
    <div class="page scaffolder-page">
      <div class="page-header">
        <div class="page-header-row">
          <div>
            <h1>Create</h1>
            <p class="page-subtitle">Start a new component from one of your organisation's templates.</p>
          </div>
          <A href="/create/tasks" class="button button-secondary">
            <Icon name="history" size={16} /> My tasks
          </A>
        </div>
      </div>
      <div class="scaffolder-layout">
        <aside class="scaffolder-filters" aria-label="Template filters">
          <div class="text-filter">
            <Icon name="search" size={16} class="text-filter-icon" />
            <input type="search" aria-label="Search templates" placeholder="Search templates" value={text()} onInput={(e) => onText(e.currentTarget.value)} data-testid="template-search" />
          </div>
          <For each={groups()}>
            {(g) => (
              <Show when={g.values.length > 0}>
                <fieldset class="facet">
                  <legend class="facet-legend">{g.title}</legend>
                  <For each={g.values}>
                    {(v) => (
                      <label class="field-check">
                        <input type="checkbox" checked={filters()[g.id].includes(v.value)} onChange={() => update({ ...filters(), [g.id]: toggle(filters()[g.id], v.value) })} />
                        <span>{g.label(v.value)}</span>
                        <span class="facet-count">{v.count}</span>
                      </label>
                    )}
                  </For>
                </fieldset>
              </Show>
            )}
          </For>
          <Show when={active() > 0}>
            <button
              type="button"
              class="button button-ghost"
              onClick={() => {
                setText("");
                update({ types: [], tags: [], owners: [], q: "" });
              }}
            >
              Clear filters
            </button>
          </Show>
        </aside>
        <section class="scaffolder-results" aria-label="Templates" aria-busy={templates.loading}>
          <Switch>
            <Match when={templates.error}>
              <ErrorState error={templates.error} onRetry={refetch} />
            </Match>
            <Match when={templates.loading && !templates()}>
              <div class="template-grid">
                <For each={[0, 1, 2]}>
                  {() => (
                    <div class="card template-card">
                      <Skeleton width="60%" height="20px" />
                      <Skeleton width="90%" />
                      <Skeleton width="70%" />
                    </div>
                  )}
                </For>
              </div>
            </Match>
            <Match when={all().length === 0}>
              <EmptyState icon="plus" title="No templates yet">
                Templates are <code>kind: Template</code> entities (<code>scaffolder.backstage.io/v1beta3</code>); register one in the catalog and it shows up here.
              </EmptyState>
            </Match>
            <Match when={shown().length === 0}>
              <EmptyState icon="filter" title="No template matches these filters" />
            </Match>
            <Match when={true}>
              <p class="muted small" aria-live="polite">
                {shown().length} of {all().length} templates
              </p>
              <ul class="template-grid" data-testid="template-list">
                <For each={shown()}>{(t) => <TemplateCard template={t} />}</For>
              </ul>
            </Match>
          </Switch>
        </section>
      </div>
    </div>
  );
}

function TemplateCard(props: { template: TemplateCardData }): JSX.Element {
  const t = props.template;
  const href = `/create/templates/${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.name)}`;
  return (
    <li class="card template-card" data-template={t.ref}>
      <div class="template-card-head">
        <span class="chip chip-muted">{t.type}</span>
      </div>
      <h2 class="template-card-title">
        <A href={href}>{t.title}</A>
      </h2>
      <Show when={t.description}>
        <p class="template-card-desc">{t.description}</p>
      </Show>
      <Show when={t.tags.length > 0}>
        <ul class="tag-list" aria-label="Tags">
          <For each={t.tags}>{(tag) => <li class="tag">{tag}</li>}</For>
        </ul>
      </Show>
      <div class="template-card-foot">
        <Show when={t.owner} fallback={<span class="muted small">No owner</span>}>
          {(o) => (
            <span class="small">
              Owner <EntityRefLink entityRef={o()} />
            </span>
          )}
        </Show>
        <A href={href} class="button button-primary" aria-label={`Choose ${t.title}`}>
          Choose
        </A>
      </div>
    </li>
  );
}
