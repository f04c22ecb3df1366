/** One facet's values as checkboxes with counts; long lists fold behind "Show more". */
import { createMemo, createSignal, For, type JSX, Show } from "solid-js";
import { humanizeRef } from "../lib/entity-ref";
import { kindLabel } from "../lib/kinds";
import type { FacetValue } from "../../../contract/catalog-api";
import { formatCount } from "../lib/format";

const FOLDED = 8;

export function FacetGroup(props: {
  id: string;
  label: string;
  values: FacetValue[];
  selected: string[];
  loading: boolean;
  onToggle: (value: string) => void;
  onClear: () => void;
}): JSX.Element {
  const [expanded, setExpanded] = createSignal(false);
  const [filter, setFilter] = createSignal("");

  const items = createMemo(() => {
    const byKey = new Map<string, FacetValue>();
    for (const v of props.values) byKey.set(v.value.toLowerCase(), v);
    // Selected values stay visible even when the other filters leave them with no matches.
    for (const s of props.selected) if (!byKey.has(s.toLowerCase())) byKey.set(s.toLowerCase(), { value: s, count: 0 });
    const list = [...byKey.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    const f = filter().trim().toLowerCase();
    return f ? list.filter((v) => v.value.toLowerCase().includes(f)) : list;
  });
  const isSelected = (v: string) => props.selected.some((s) => s.toLowerCase() === v.toLowerCase());
  const shown = () => (expanded() ? items() : items().slice(0, FOLDED));
  const label = (v: string) => (props.id === "kind" ? kindLabel(v) : props.id === "owner" || props.id === "system" ? humanizeRef(v) : v);

  return (
    <Show when={props.values.length > 0 || props.selected.length > 0}>
      <fieldset class="facet" classList={{ "is-loading": props.loading }} data-facet={props.id}>
        <legend class="facet-legend">
          <span>{props.label}</span>
          <Show when={props.selected.length > 0}>
            <button type="button" class="link-button" onClick={() => props.onClear()} aria-label={`Clear ${props.label} filter`}>
              Clear
            </button>
          </Show>
        </legend>
        <Show when={props.values.length > 12}>
          <input
            type="search"
            class="facet-filter"
            placeholder={`Filter ${props.label.toLowerCase()}…`}
            aria-label={`Filter ${props.label} values`}
            value={filter()}
            onInput={(e) => {
              setFilter(e.currentTarget.value);
              setExpanded(true);
            }}
          />
        </Show>
        <ul class="facet-values">
          <For each={shown()}>
            {(v) => (
              <li>
                <label class="facet-value" title={v.value}>
                  <input type="checkbox" checked={isSelected(v.value)} onChange={() => props.onToggle(v.value)} />
                  <span class="facet-value-label">{label(v.value)}</span>
                  <span class="facet-count">{formatCount(v.count)}</span>
                </label>
              </li>
            )}
          </For>
        </ul>
        <Show when={items().length > FOLDED}>
          <button type="button" class="link-button facet-more" aria-expanded={expanded()} onClick={() => setExpanded((x) => !x)}>
            {expanded() ? "Show fewer" : `Show ${items().length - FOLDED} more`}
          </button>
        </Show>
      </fieldset>
    </Show>
  );
}
