/**
 * `/create/tasks/:taskId`: one scaffolder task, live. The task (`GET /tasks/:id`) gives the steps; its
 * event stream (`GET /tasks/:id/eventstream`, server-sent events) fills in each step's status and log as
 * they happen; at the end, the template's outputs (links to the new repository and entity, texts).
 */
import { A, useParams } from "@solidjs/router";
import { createEffect, createMemo, createResource, createSignal, For, type JSX, Match, on, onCleanup, Show, Switch } from "solid-js";
import { cancelTask, eventStreamPath, getTask } from "../../api/scaffolder";
import { ErrorState } from "../../components/ErrorState";
import { Breadcrumb } from "../../components/scaffolder/Breadcrumb";
import { Markdown } from "../../components/Markdown";
import { SkeletonLines } from "../../components/Skeleton";
import { entityPath, tryParseEntityRef } from "../../lib/entity-ref";
import { exactTime } from "../../lib/time";
import {
  applyEvent,
  initialView,
  isFinished,
  parseEventData,
  stepDuration,
  withTaskResult,
  type ScaffolderTask,
  type StepView,
  type TaskView,
} from "../../lib/scaffolder/task-events";

const STATUS_LABEL: Record<string, string> = {
  open: "Waiting",
  processing: "Running",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
  skipped: "Skipped",
};

export default function TaskPage(): JSX.Element {
  const params = useParams<{ taskId: string }>();
  const [task] = createResource(() => params.taskId, (id) => getTask(id));
  return (
    <div class="page scaffolder-page">
      <Switch>
        <Match when={task.error}>
          <ErrorState error={task.error} />
        </Match>
        <Match when={task()}>{(t) => <LiveTask task={t()} />}</Match>
        <Match when={true}>
          <SkeletonLines lines={5} />
        </Match>
      </Switch>
    </div>
  );
}

function LiveTask(props: { task: ScaffolderTask }): JSX.Element {
  const [view, setView] = createSignal<TaskView>(initialView(props.task));
  const [streamError, setStreamError] = createSignal<string>();
  const [now, setNow] = createSignal(Date.now());
  const [cancelling, setCancelling] = createSignal(false);
  const [cancelError, setCancelError] = createSignal<unknown>();
  const [selected, setSelected] = createSignal<string>();

  // One EventSource; the browser reconnects by itself and resends Last-Event-ID. Closed once the task ends.
  const source = new EventSource(eventStreamPath(props.task.id));
  const onEvent = (ev: MessageEvent<string>) => {
    const e = parseEventData(ev.data);
    if (!e) return;
    setView((v) => applyEvent(v, e));
    if (e.type === "completion" || e.type === "cancelled") {
      source.close();
      void getTask(props.task.id).then((t) => setView((v) => withTaskResult(v, t)), () => undefined);
    }
  };
  for (const type of ["log", "completion", "cancelled", "recovered", "message"]) source.addEventListener(type, onEvent as EventListener);
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED && !view().completed) setStreamError("The live log was disconnected. Reload the page to see the latest state.");
  };
  onCleanup(() => source.close());

  const timer = setInterval(() => setNow(Date.now()), 500);
  onCleanup(() => clearInterval(timer));
  createEffect(on(() => view().completed, (done) => done && clearInterval(timer)));

  // Follow the running step unless the user picked one.
  const current = createMemo(() => selected() ?? [...view().steps].reverse().find((s) => s.status !== "open")?.id ?? view().steps[0]?.id);
  const currentStep = () => view().steps.find((s) => s.id === current());

  const cancel = async () => {
    setCancelling(true);
    setCancelError(undefined);
    try {
      await cancelTask(props.task.id);
    } catch (e) {
      setCancelError(e);
      setCancelling(false);
    }
  };

  const info = props.task.spec.templateInfo;
  const title = info?.entity?.metadata?.title || info?.entity?.metadata?.name || "Task";
  const templateLink = () => {
    const ref = tryParseEntityRef(info?.entityRef ?? "");
    return ref ? `/create/templates/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}` : undefined;
  };

  return (
    <>
      <div class="page-header">
        <Breadcrumb items={[{ href: "/create", label: "Create" }, { href: "/create/tasks", label: "Tasks" }, { label: props.task.id }]} />
        <div class="page-header-row">
          <div>
            <h1>{title}</h1>
            <p class="page-subtitle">
              <span class={`task-status task-status-${view().status}`} data-testid="task-status">
                {STATUS_LABEL[view().status] ?? view().status}
              </span>{" "}
              · started {exactTime(props.task.createdAt)}
            </p>
          </div>
          <div class="toolbar">
            <Show when={!isFinished(view().status)}>
              <button type="button" class="button button-danger" onClick={cancel} disabled={cancelling()}>
                {cancelling() ? "Cancelling…" : "Cancel"}
              </button>
            </Show>
            <Show when={isFinished(view().status) && templateLink()}>
              {(href) => (
                <A href={href()} class="button button-secondary">
                  Start over
                </A>
              )}
            </Show>
          </div>
        </div>
      </div>
      <Show when={cancelError()}>
        <ErrorState compact error={cancelError()} />
      </Show>
      <Show when={streamError()}>
        <p class="banner banner-danger" role="status">
          {streamError()}
        </p>
      </Show>

      <div class="task-layout">
        <ol class="task-steps card" aria-label="Steps">
          <For each={view().steps}>
            {(s) => (
              <li>
                <button type="button" class={`task-step task-step-${s.status}`} aria-pressed={current() === s.id} onClick={() => setSelected(s.id)} data-step={s.id}>
                  <span class="task-step-dot" aria-hidden="true" />
                  <span class="task-step-name">{s.name}</span>
                  <span class="task-step-meta">
                    <span class="visually-hidden">{STATUS_LABEL[s.status]} </span>
                    {stepDuration(s, now()) ?? ""}
                  </span>
                </button>
              </li>
            )}
          </For>
        </ol>
        <section class="card task-log-card" aria-labelledby="task-log-title">
          <header class="card-header">
            <h2 class="card-title" id="task-log-title">
              {currentStep()?.name ?? "Log"}
            </h2>
            <span class="muted small">{currentStep() ? STATUS_LABEL[currentStep()!.status] : ""}</span>
          </header>
          <StepLog step={currentStep()} taskLog={view().log} />
        </section>
      </div>

      <Show when={view().error}>
        {(err) => (
          <div class="banner banner-danger" role="alert" data-testid="task-error">
            <strong>{err().name ?? "Error"}</strong>: {err().message}
          </div>
        )}
      </Show>
      <Show when={view().completed && view().output}>{(o) => <Outputs output={o()} />}</Show>
    </>
  );
}

function StepLog(props: { step: StepView | undefined; taskLog: string[] }): JSX.Element {
  let el: HTMLPreElement | undefined;
  const lines = () => props.step?.log ?? props.taskLog;
  // Stick to the bottom while new lines arrive, unless the reader scrolled up.
  createEffect(
    on(
      () => lines().length,
      () => {
        if (!el) return;
        const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        if (nearBottom) queueMicrotask(() => el && (el.scrollTop = el.scrollHeight));
      },
    ),
  );
  return (
    <pre class="task-log" ref={el} aria-live="polite" data-testid="task-log">
      <Show when={lines().length > 0} fallback={<span class="muted">No output yet.</span>}>
        <For each={lines()}>{(l) => <span class="task-log-line">{l + "\n"}</span>}</For>
      </Show>
    </pre>
  );
}

function Outputs(props: { output: NonNullable<TaskView["output"]> }): JSX.Element {
  const links = () => (props.output.links ?? []).filter((l) => l && (l.url || l.entityRef));
  return (
    <section class="card task-outputs" aria-labelledby="task-outputs-title" data-testid="task-outputs">
      <header class="card-header">
        <h2 class="card-title" id="task-outputs-title">
          Result
        </h2>
      </header>
      <div class="card-body">
        <Show when={links().length > 0}>
          <ul class="task-output-links">
            <For each={links()}>
              {(l) => {
                const ref = l.entityRef ? tryParseEntityRef(l.entityRef) : undefined;
                return (
                  <li>
                    <Show
                      when={ref}
                      fallback={
                        <a class="button button-secondary" href={safeUrl(l.url)} target="_blank" rel="noopener noreferrer">
                          {l.title || l.url}
                        </a>
                      }
                    >
                      {(r) => (
                        <A class="button button-primary" href={entityPath(r())}>
                          {l.title || l.entityRef}
                        </A>
                      )}
                    </Show>
                  </li>
                );
              }}
            </For>
          </ul>
        </Show>
        <For each={props.output.text ?? []}>
          {(t) => (
            <div class="task-output-text">
              <Show when={t.title}>
                <h3>{t.title}</h3>
              </Show>
              <Markdown text={t.content ?? ""} />
            </div>
          )}
        </For>
      </div>
    </section>
  );
}

/** Only http(s) links leave the portal; anything else (javascript:, data:) is not a link. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, location.origin);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}
