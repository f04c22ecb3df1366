/**
 * The home page's "you" row: the signed-in person's groups, what they and their groups own, and recent
 * changes to those entities. Explains what to do when the person has no User entity (nothing can then
 * be resolved to them) or owns nothing yet.
 */
import { A } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import { fetchChanges } from "../api/changes";
import { fetchEntitiesByRefs, queryEntities, SUMMARY_FIELDS } from "../api/entities";
import type { Session } from "../api/session";
import { createData } from "../lib/create-data";
import { formatCount } from "../lib/format";
import { groupRefs, mergeChanges, ownedFilter } from "../lib/ownership";
import type { PartialEntity } from "../../../contract/entity";
import { Card } from "./Card";
import { ChangeRow } from "./ChangeRow";
import { DataView } from "./DataView";
import { EmptyState } from "./EmptyState";
import { EntityListItem } from "./EntityListItem";
import { EntityRefLink } from "./EntityRefLink";
import { Icon } from "./Icon";

const OWNED_SHOWN = 6;
const CHANGES_SHOWN = 6;

function MyGroups(props: { session: Session }): JSX.Element {
  const refs = () => groupRefs(props.session.ownershipRefs);
  const groups = createData(() => (refs().length ? refs() : null), (r) => fetchEntitiesByRefs(r, SUMMARY_FIELDS));
  const user = () => props.session.user;
  return (
    <Show
      when={user()?.hasEntity}
      fallback={
        <EmptyState compact icon="user" title="You are not in the catalog yet">
          <p>
            Edgestage found no User entity for <strong>{user()?.login ?? user()?.ref}</strong>, so it cannot tell your groups or what you own. Add a User named{" "}
            <code>{user()?.ref.replace(/^user:default\//, "")}</code>
            <Show when={user()?.login}> or annotated <code>github.com/user-login: {user()!.login}</code></Show>, or import your organization's teams from GitHub.
          </p>
        </EmptyState>
      }
    >
      <Show
        when={refs().length > 0}
        fallback={
          <EmptyState compact icon="users" title="You are in no group">
            <p>Groups list their members in <code>spec.members</code>, or users name theirs in <code>spec.memberOf</code>.</p>
          </EmptyState>
        }
      >
        <DataView data={groups}>
          {(res) => (
            <ul class="entity-list" data-testid="my-groups">
              <For each={res.items.map((e, i) => [e, refs()[i]] as const)}>
                {([e, ref]) => (
                  <Show when={e} fallback={<li class="entity-list-item"><EntityRefLink entityRef={ref} showKind /></li>}>
                    {(entity) => <EntityListItem entity={entity() as PartialEntity} />}
                  </Show>
                )}
              </For>
            </ul>
          )}
        </DataView>
      </Show>
    </Show>
  );
}

function Owned(props: { session: Session }): JSX.Element {
  const owned = createData(
    () => ownedFilter(props.session.ownershipRefs),
    (filter) => queryEntities({ filter: [filter], fields: SUMMARY_FIELDS, orderField: ["metadata.name", "asc"], limit: OWNED_SHOWN }),
  );
  return (
    <DataView data={owned}>
      {(res) => (
        <Show
          when={res.items.length > 0}
          fallback={
            <EmptyState compact icon="box" title="Nothing is owned by you or your groups">
              <p>Entities whose <code>spec.owner</code> names you or one of your groups show up here.</p>
            </EmptyState>
          }
        >
          <ul class="entity-list" data-testid="my-owned">
            <For each={res.items}>{(e) => <EntityListItem entity={e} star />}</For>
          </ul>
          <Show when={res.totalItems > res.items.length}>
            <p class="muted small">
              <A href="/catalog?owned=mine">See all {formatCount(res.totalItems)} in the catalog</A>
            </p>
          </Show>
        </Show>
      )}
    </DataView>
  );
}

function MyChanges(props: { session: Session }): JSX.Element {
  // One feed per claim: the change log filters by a single owner. Claims are few (a user and their groups).
  const changes = createData(
    () => (props.session.ownershipRefs.length ? props.session.ownershipRefs : null),
    async (claims) => mergeChanges(await Promise.all(claims.map(async (owner) => (await fetchChanges({ owner, limit: CHANGES_SHOWN })).items)), CHANGES_SHOWN),
  );
  return (
    <DataView data={changes}>
      {(items) => (
        <Show
          when={items.length > 0}
          fallback={
            <EmptyState compact icon="history" title="No recent changes to your entities">
              <p>Pushes and refreshes that add, update or remove what you own are listed here.</p>
            </EmptyState>
          }
        >
          <div class="change-list" data-testid="my-changes">
            <For each={items}>{(c) => <ChangeRow change={c} />}</For>
          </div>
        </Show>
      )}
    </DataView>
  );
}

export function MyWork(props: { session: Session }): JSX.Element {
  const name = () => props.session.user?.displayName ?? props.session.user?.login ?? "you";
  return (
    <section class="my-work" aria-label="Your work" data-testid="my-work">
      <h2 class="section-title">Welcome, {name()}</h2>
      <div class="card-grid three">
        <Card title="Your groups" id="my-groups-card" count={groupRefs(props.session.ownershipRefs).length}>
          <MyGroups session={props.session} />
        </Card>
        <Card
          title="Owned by you and your groups"
          id="my-owned-card"
          actions={
            <A href="/catalog?owned=mine" class="link-subtle">
              <Icon name="filter" size={14} /> In the catalog
            </A>
          }
        >
          <Owned session={props.session} />
        </Card>
        <Card title="Recent changes to your entities" id="my-changes-card">
          <MyChanges session={props.session} />
        </Card>
      </div>
    </section>
  );
}
