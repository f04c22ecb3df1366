/**
 * `/admin/:section?` (a lazy chunk): locations, imports, dead letters, service tokens and the audit log.
 * Only the sections the caller's permissions allow are listed; a link to any other explains what it
 * needs instead of showing an empty page (the worker refuses those calls regardless).
 */
import { A, Navigate, useParams } from "@solidjs/router";
import { For, type JSX, Match, Show, Switch } from "solid-js";
import { AccessDenied } from "../components/admin/AccessDenied";
import { AuditPanel } from "../components/admin/AuditPanel";
import { DeadLettersPanel } from "../components/admin/DeadLettersPanel";
import { ImportsPanel } from "../components/admin/ImportsPanel";
import { LocationsPanel } from "../components/admin/LocationsPanel";
import { TokensPanel } from "../components/admin/TokensPanel";
import { EmptyState } from "../components/EmptyState";
import { Icon } from "../components/Icon";
import { allowedSections, can, findSection } from "../lib/access";
import { useSession } from "../lib/session";

export default function Admin(): JSX.Element {
  const params = useParams<{ section?: string }>();
  const resource = useSession();
  const session = () => resource?.();
  const sections = () => allowedSections(session());
  const section = () => findSection(params.section);
  const allowed = () => section() !== undefined && can(session(), section()!.permission);

  return (
    <div class="page admin-page">
      <div class="page-header">
        <h1>Administration</h1>
        <p class="page-subtitle">Where the catalog's data comes from, what failed, and who did what.</p>
      </div>
      <Show when={sections().length > 0}>
        <nav class="tabs admin-tabs" aria-label="Admin sections">
          <For each={sections()}>
            {(s) => (
              <A href={`/admin/${s.id}`} class="tab" classList={{ "is-active": params.section === s.id }} aria-current={params.section === s.id ? "page" : undefined}>
                <Icon name={s.icon} size={16} /> {s.label}
              </A>
            )}
          </For>
        </nav>
      </Show>
      <Switch>
        <Match when={!params.section && sections().length > 0}>
          <Navigate href={`/admin/${sections()[0].id}`} />
        </Match>
        <Match when={params.section && !section()}>
          <EmptyState icon="search" title={`No admin page named “${params.section}”`} actions={<A href="/admin" class="button button-secondary">Admin home</A>} />
        </Match>
        <Match when={!allowed()}>
          <AccessDenied section={section()} session={session()} />
        </Match>
        <Match when={section()?.id === "locations"}>
          <LocationsPanel canDelete={can(session(), "catalog.location.delete")} />
        </Match>
        <Match when={section()?.id === "imports"}>
          <ImportsPanel />
        </Match>
        <Match when={section()?.id === "dead-letters"}>
          <DeadLettersPanel />
        </Match>
        <Match when={section()?.id === "tokens"}>
          <TokensPanel grantable={session()?.permissions ?? []} />
        </Match>
        <Match when={section()?.id === "audit"}>
          <AuditPanel />
        </Match>
      </Switch>
    </div>
  );
}
