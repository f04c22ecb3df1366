/**
 * Admin: GitHub imports. Start one (an org or user's repositories, one owner/repo, or an org's teams and
 * people) and watch each import's progress bar, polled while any import is still running.
 */
import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import { listImports, startImport } from "../../api/admin";
import { createData } from "../../lib/create-data";
import { describeImport, type ImportProgress, isRunning } from "../../lib/import-progress";
import { exactTime, relativeTime } from "../../lib/time";
import { DataView } from "../DataView";
import { EmptyState } from "../EmptyState";
import { ErrorState } from "../ErrorState";

const POLL_MS = 1000;

function ImportRow(props: { progress: ImportProgress }): JSX.Element {
  const view = () => describeImport(props.progress);
  return (
    <li class={`import-row import-${props.progress.status}`} data-testid="import-row" data-status={props.progress.status}>
      <div class="import-head">
        <span class="import-target">
          <code>{view().target}</code>
          <Show when={view().orgData}>
            <span class="chip chip-muted">Teams and people</span>
          </Show>
        </span>
        <span class={`import-status status-${props.progress.status}`}>{props.progress.status === "running" ? "Running" : props.progress.status === "done" ? "Done" : "Failed"}</span>
      </div>
      {/* No value at all while the total is unknown (an indeterminate bar): the property refuses undefined. */}
      <Show
        when={view().value !== undefined}
        fallback={<progress class="import-bar" aria-label={`Progress of the import of ${view().target}`} aria-valuetext="Counting what to import" />}
      >
        <progress class="import-bar" max={view().max} value={view().value} aria-label={`Progress of the import of ${view().target}`} aria-valuetext={`${view().percent}%`} />
      </Show>
      <p class="import-meta">
        <Show when={view().percent !== null}>
          <span class="import-percent">{view().percent}%</span>
          {" · "}
        </Show>
        <span data-testid="import-summary">{view().summary}</span>
        {" · started "}
        <time datetime={props.progress.startedAt} title={exactTime(props.progress.startedAt)}>
          {relativeTime(props.progress.startedAt)}
        </time>
      </p>
      <Show when={props.progress.message}>
        <p class="import-message">{props.progress.message}</p>
      </Show>
    </li>
  );
}

export function ImportsPanel(): JSX.Element {
  const imports = createData(() => true, () => listImports());
  const [target, setTarget] = createSignal("");
  const [orgData, setOrgData] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();

  // Poll while something runs; stop as soon as every import has finished (or the panel closes).
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(imports.value, (items) => {
      clearTimeout(timer);
      if (items && isRunning(items)) timer = setTimeout(() => imports.refetch(), POLL_MS);
    }),
  );
  onCleanup(() => clearTimeout(timer));

  const start = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await startImport(target().trim(), orgData());
      setTarget("");
      imports.refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="admin-panel" data-testid="admin-imports">
      <form class="admin-form" onSubmit={start}>
        <label class="field field-grow">
          <span class="field-label">Import from GitHub</span>
          <input type="text" required placeholder="acme or acme/service" value={target()} onInput={(e) => setTarget(e.currentTarget.value)} data-testid="import-target" />
        </label>
        <label class="field-check">
          <input type="checkbox" checked={orgData()} onChange={(e) => setOrgData(e.currentTarget.checked)} data-testid="import-org-data" />
          <span>Teams and people (org data)</span>
        </label>
        <button type="submit" class="button button-primary" disabled={busy() || !target().trim()}>
          {busy() ? "Starting…" : "Start import"}
        </button>
      </form>
      <p class="muted small">
        An organization or user imports every repository's catalog files; <code>owner/repo</code> imports one repository; with “Teams and people” an
        organization's teams and members become Group and User entities.
      </p>
      <Show when={error()}>
        <ErrorState compact error={error()} />
      </Show>
      <DataView data={imports}>
        {(items) => (
          <Show when={items.length > 0} fallback={<EmptyState compact icon="layers" title="No imports yet">Start one above, or run <code>npm run import -- acme</code>.</EmptyState>}>
            <ul class="import-list" aria-label="Imports">
              <For each={items}>{(p) => <ImportRow progress={p} />}</For>
            </ul>
          </Show>
        )}
      </DataView>
    </div>
  );
}
