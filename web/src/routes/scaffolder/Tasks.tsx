/** `/create/tasks`: the tasks I started (`GET /api/scaffolder/v2/tasks?createdBy=<my ref>`), newest first. */
import { A } from "@solidjs/router";
import { createMemo, createResource, For, type JSX, Match, Switch } from "solid-js";
import { listTasks } from "../../api/scaffolder";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Breadcrumb } from "../../components/scaffolder/Breadcrumb";
import { SkeletonLines } from "../../components/Skeleton";
import { useSession } from "../../lib/session";
import { exactTime } from "../../lib/time";

export default function Tasks(): JSX.Element {
  const session = useSession();
  const me = () => (session && !session.error && session() ? (session()?.user?.ref ?? "") : session?.loading ? undefined : "");
  const [tasks, { refetch }] = createResource(me, (ref) => listTasks(ref || undefined));
  const sorted = createMemo(() => [...(tasks()?.tasks ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  return (
    <div class="page scaffolder-page">
      <div class="page-header">
        <Breadcrumb items={[{ href: "/create", label: "Create" }, { label: "Tasks" }]} />
        <h1>My tasks</h1>
        <p class="page-subtitle">Templates you ran, newest first.</p>
      </div>
      <Switch>
        <Match when={tasks.error}>
          <ErrorState error={tasks.error} onRetry={refetch} />
        </Match>
        <Match when={!tasks()}>
          <SkeletonLines lines={4} />
        </Match>
        <Match when={sorted().length === 0}>
          <EmptyState icon="history" title="No tasks yet" actions={<A href="/create" class="button button-primary">Choose a template</A>}>
            Tasks appear here when you create something from a template.
          </EmptyState>
        </Match>
        <Match when={true}>
          <div class="table-wrap card">
            <table class="admin-table" data-testid="task-list">
              <thead>
                <tr>
                  <th scope="col">Template</th>
                  <th scope="col">Status</th>
                  <th scope="col">Started</th>
                  <th scope="col">Task</th>
                </tr>
              </thead>
              <tbody>
                <For each={sorted()}>
                  {(t) => (
                    <tr>
                      <td>{t.spec.templateInfo?.entity?.metadata?.title || t.spec.templateInfo?.entityRef || "—"}</td>
                      <td>
                        <span class={`task-status task-status-${t.status}`}>{t.status}</span>
                      </td>
                      <td>{exactTime(t.createdAt)}</td>
                      <td>
                        <A href={`/create/tasks/${encodeURIComponent(t.id)}`}>{t.id}</A>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Match>
      </Switch>
    </div>
  );
}
