/** Every relation of the entity, grouped by type; targets link to their pages, missing ones are marked. */
import { For, type JSX, Show } from "solid-js";
import type { RelatedMap } from "../lib/create-related";
import { displayName } from "../lib/entity-ref";
import { groupRelations, relationLabel } from "../lib/relations";
import type { Entity } from "../../../contract/entity";
import { Card } from "./Card";
import { EmptyState } from "./EmptyState";
import { EntityRefLink } from "./EntityRefLink";

const MAX_PER_GROUP = 12;

export function RelationsCard(props: { entity: Entity; related: RelatedMap | undefined }): JSX.Element {
  const groups = () => groupRelations(props.entity.relations);
  return (
    <Card title="Relations" id="relations" count={props.entity.relations?.length ?? 0}>
      <Show
        when={groups().length > 0}
        fallback={
          <EmptyState compact icon="link" title="No relations">
            <p>Set spec.owner, spec.system, dependsOn or providesApis to connect this entity.</p>
          </EmptyState>
        }
      >
        <div class="relation-groups">
          <For each={groups()}>
            {([type, refs]) => (
              <div class="relation-group">
                <h3 class="relation-type">
                  {relationLabel(type)} <span class="count-pill">{refs.length}</span>
                </h3>
                <ul class="relation-targets">
                  <For each={refs.slice(0, MAX_PER_GROUP)}>
                    {(ref) => {
                      const target = () => props.related?.get(ref);
                      return (
                        <li>
                          <EntityRefLink entityRef={ref} showKind title={target() ? displayName(target()!) : undefined} missing={props.related !== undefined && target() === null} />
                          <Show when={props.related !== undefined && target() === null}>
                            <span class="chip chip-warning" title="This entity is referenced but not in the catalog">
                              missing
                            </span>
                          </Show>
                        </li>
                      );
                    }}
                  </For>
                </ul>
                <Show when={refs.length > MAX_PER_GROUP}>
                  <p class="muted small">and {refs.length - MAX_PER_GROUP} more</p>
                </Show>
              </div>
            )}
          </For>
        </div>
      </Show>
    </Card>
  );
}
