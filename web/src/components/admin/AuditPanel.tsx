/**
 * Admin: the audit log (sign-ins, admin and write actions), newest first, filtered by actor and action
 * (an action ending in "." matches every action under it) and paged by id. The filters live in the URL.
 */
import { useSearchParams } from "@solidjs/router";
import { createSignal, For, type JSX, Show } from "solid-js";
import { listAudit } from "../../api/admin";
import { createData } from "../../lib/create-data";
import { exactTime, relativeTime } from "../../lib/time";
import { DataView } from "../DataView";
import { EmptyState } from "../EmptyState";

const PAGE = 50;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export function AuditPanel(): JSX.Element {
  const [params, setParams] = useSearchParams<{ actor?: string; action?: string; before?: string }>();
  const [actor, setActor] = createSignal(one(params.actor));
  const [action, setAction] = createSignal(one(params.action));
  const query = () => ({ actor: one(params.actor) || undefined, action: one(params.action) || undefined, before: Number(one(params.before)) || undefined, limit: PAGE });
  const page = createData(query, (q) => listAudit(q));

  const apply = (e: SubmitEvent) => {
    e.preventDefault();
    setParams({ actor: actor().trim() || undefined, action: action().trim() || undefined, before: undefined });
  };

  return (
    <div class="admin-panel" data-testid="admin-audit">
      <form class="admin-form" onSubmit={apply} aria-label="Filter the audit log">
        <label class="field">
          <span class="field-label">Actor</span>
          <input type="text" placeholder="user:default/jane or token:…" value={actor()} onInput={(e) => setActor(e.currentTarget.value)} data-testid="audit-actor" />
        </label>
        <label class="field">
          <span class="field-label">Action</span>
          <input type="text" placeholder="auth. or identity.token.manage" value={action()} onInput={(e) => setAction(e.currentTarget.value)} data-testid="audit-action" />
        </label>
        <button type="submit" class="button button-secondary">Filter</button>
      </form>
      <DataView data={page}>
        {(p) => (
          <Show when={p.items.length > 0} fallback={<EmptyState compact icon="history" title="No audit entries match">Sign-ins, admin actions and writes are recorded here.</EmptyState>}>
            <div class="table-wrap">
              <table class="admin-table" data-testid="audit-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">Status</th>
                    <th scope="col">From</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={p.items}>
                    {(e) => (
                      <tr data-testid="audit-row">
                        <td><time datetime={e.at} title={exactTime(e.at)}>{relativeTime(e.at)}</time></td>
                        <td class="cell-wrap">{e.actor}</td>
                        <td class="cell-wrap"><code>{e.action}</code></td>
                        <td class="cell-wrap">{e.target ?? (e.path ? `${e.method ?? ""} ${e.path}` : "")}</td>
                        <td>{e.status ?? ""}</td>
                        <td class="cell-wrap muted" title={e.userAgent ?? undefined}>{e.ip ?? ""}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <div class="pager">
              <Show when={params.before}>
                <button type="button" class="button button-ghost" onClick={() => setParams({ before: undefined })}>Newest</button>
              </Show>
              <Show when={p.pageInfo.nextBefore}>
                <button type="button" class="button button-secondary" onClick={() => setParams({ before: String(p.pageInfo.nextBefore) })} data-testid="audit-older">Older entries</button>
              </Show>
            </div>
          </Show>
        )}
      </DataView>
    </div>
  );
}
