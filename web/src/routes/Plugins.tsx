/**
 * `/plugins` (a lazy chunk): what this portal has installed. One card per plugin with its version,
 * description, the pages, entity tabs and cards it adds (and when they show), the permissions it defines,
 * the hosts it may fetch, and, for its worker half, its routes, secrets set and config state.
 */
import { A } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import { fetchInstalledPlugins } from "../api/plugins";
import { Card } from "../components/Card";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { Icon } from "../components/Icon";
import { SkeletonLines } from "../components/Skeleton";
import { createData } from "../lib/create-data";
import { type InstalledRow, installedRows } from "../plugin-host/installed";
import { WEB_PLUGINS } from "../plugins";
import { describePredicate } from "./plugins-format";

function Section(props: { title: string; when: boolean; children: JSX.Element }): JSX.Element {
  return (
    <Show when={props.when}>
      <div class="plugin-info-section">
        <h3 class="plugin-info-heading">{props.title}</h3>
        {props.children}
      </div>
    </Show>
  );
}

function PluginCard(props: { row: InstalledRow }): JSX.Element {
  const r = () => props.row;
  const w = () => r().worker;
  return (
    <Card title={r().title} id={`plugin-${r().id}`} class="plugin-info" actions={<span class="chip chip-muted">v{r().version}</span>}>
      <div data-testid="installed-plugin" data-plugin={r().id}>
        <p class="plugin-info-meta">
          <code>{r().id}</code>
          <span class="chip">{r().web && w() ? "web + worker" : r().web ? "web" : "worker"}</span>
          <Show when={w() && !w()!.config.valid}>
            <span class="chip chip-warning" title={(w()!.config as { message?: string }).message}>
              config problem
            </span>
          </Show>
        </p>
        <Show when={r().description}>
          <p class="plugin-info-description">{r().description}</p>
        </Show>
        <Section title="Pages" when={r().nav.length > 0}>
          <ul class="plugin-info-list">
            <For each={r().nav}>
              {(n) => (
                <li>
                  <Show when={r().web} fallback={<span>{n.title}</span>}>
                    <A href={n.path}>{n.title}</A>
                  </Show>{" "}
                  <code>{n.path}</code>
                </li>
              )}
            </For>
          </ul>
        </Section>
        <Section title="Entity tabs" when={r().entityTabs.length > 0}>
          <ul class="plugin-info-list">
            <For each={r().entityTabs}>{(t) => <li>{t.title} <span class="muted">on {describePredicate(t.when)}</span></li>}</For>
          </ul>
        </Section>
        <Section title="Entity cards" when={r().entityCards.length > 0}>
          <ul class="plugin-info-list">
            <For each={r().entityCards}>{(c) => <li>{c.title} <span class="muted">on {describePredicate(c.when)}</span></li>}</For>
          </ul>
        </Section>
        <Section title="Permissions" when={r().permissions.length > 0}>
          <ul class="plugin-info-list">
            <For each={r().permissions}>{(p) => <li><code>{p.name}</code> {p.description}</li>}</For>
          </ul>
        </Section>
        <Section title="Hosts it may fetch" when={true}>
          <Show when={r().hosts.length > 0} fallback={<p class="muted">None: it reaches no outside host.</p>}>
            <ul class="tag-list">
              <For each={r().hosts}>{(h) => <li class="tag">{h}</li>}</For>
            </ul>
          </Show>
        </Section>
        <Section title="Secrets" when={(w()?.secrets.length ?? 0) > 0}>
          <ul class="plugin-info-list">
            <For each={w()!.secrets}>{(s) => <li><code>{s.name}</code> {s.configured ? "set" : <span class="chip chip-warning">not set</span>}</li>}</For>
          </ul>
        </Section>
        <Section title="API routes" when={(w()?.routes.length ?? 0) > 0}>
          <ul class="plugin-info-list">
            <For each={w()!.routes}>{(rt) => <li><code>{rt.method} {rt.path}</code> <span class="muted">needs {rt.permission}</span></li>}</For>
          </ul>
        </Section>
      </div>
    </Card>
  );
}

export default function Plugins(): JSX.Element {
  // The worker's list adds worker-only plugins and routes; without it (an error, no read permission) the web parts still show.
  const worker = createData(() => true, () => fetchInstalledPlugins());
  const rows = () => installedRows(WEB_PLUGINS, worker.value()?.items);
  return (
    <div class="page plugins-page">
      <div class="page-header">
        <h1>Installed plugins</h1>
        <p class="page-subtitle">What this portal adds to the catalog: pages, entity tabs and cards, and what each plugin may do.</p>
      </div>
      <Show when={worker.error()}>
        <ErrorState compact error={worker.error()} onRetry={() => worker.refetch()} />
      </Show>
      <Show when={!(worker.loading() && worker.value() === undefined && WEB_PLUGINS.length === 0)} fallback={<div class="card"><SkeletonLines lines={4} /></div>}>
        <Show
          when={rows().length > 0}
          fallback={
            <EmptyState icon="puzzle" title="No plugins installed">
              A plugin is a folder in <code>plugins/</code> listed in <code>worker/plugins.ts</code> and <code>web/src/plugins.ts</code>; see the README's “Writing a plugin”.
            </EmptyState>
          }
        >
          <div class="plugin-info-grid" data-testid="installed-plugins">
            <For each={rows()}>{(row) => <PluginCard row={row} />}</For>
          </div>
        </Show>
      </Show>
      <p class="muted plugins-footnote">
        <Icon name="info" size={14} /> Each plugin's pages, tabs and cards load on first use and show an error in their own slot if they fail.
      </p>
    </div>
  );
}
