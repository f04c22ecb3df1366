/** The active filters as removable chips, plus "Clear all". */
import { For, type JSX, Show } from "solid-js";
import { CATALOG_FACETS, type CatalogFilterState, type FacetId } from "../lib/filter-state";
import { humanizeRef } from "../lib/entity-ref";
import { kindLabel } from "../lib/kinds";
import { Icon } from "./Icon";

export function FilterChips(props: {
  state: CatalogFilterState;
  onRemove: (facet: FacetId, value: string) => void;
  onClearText: () => void;
  onClearStarred: () => void;
  onClearMine: () => void;
  onClearAll: () => void;
}): JSX.Element {
  const chips = () =>
    CATALOG_FACETS.flatMap((f) =>
      props.state.selected[f.id].map((value) => ({
        facet: f.id,
        value,
        label: `${f.label}: ${f.id === "kind" ? kindLabel(value) : f.id === "owner" || f.id === "system" ? humanizeRef(value) : value}`,
      })),
    );
  const any = () => chips().length > 0 || props.state.q || props.state.starred || props.state.mine;
  return (
    <Show when={any()}>
      <div class="filter-chips" aria-label="Active filters" role="group">
        <Show when={props.state.starred}>
          <button type="button" class="filter-chip" onClick={() => props.onClearStarred()} aria-label="Remove filter: starred only">
            Starred only <Icon name="close" size={12} />
          </button>
        </Show>
        <Show when={props.state.mine}>
          <button type="button" class="filter-chip" onClick={() => props.onClearMine()} aria-label="Remove filter: owned by me or my groups">
            Owned by me or my groups <Icon name="close" size={12} />
          </button>
        </Show>
        <Show when={props.state.q}>
          <button type="button" class="filter-chip" onClick={() => props.onClearText()} aria-label={`Remove text filter ${props.state.q}`}>
            Text: “{props.state.q}” <Icon name="close" size={12} />
          </button>
        </Show>
        <For each={chips()}>
          {(c) => (
            <button type="button" class="filter-chip" onClick={() => props.onRemove(c.facet, c.value)} aria-label={`Remove filter ${c.label}`}>
              {c.label} <Icon name="close" size={12} />
            </button>
          )}
        </For>
        <button type="button" class="link-button" onClick={() => props.onClearAll()}>
          Clear all
        </button>
      </div>
    </Show>
  );
}
