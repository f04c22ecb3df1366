/**
 * EntityTagsPicker: tags as chips; type and press Enter (or a comma) to add one. Suggestions are the tags
 * already used in the catalog (the `metadata.tags` facet, limited to `ui:options.kinds` when given).
 */
import { createSignal, For, type JSX } from "solid-js";
import { uiOptions } from "../../../../contract/template-params/api";
import { fetchFacets } from "../../api/entities";
import { buildFilterString } from "../../api/params";
import { useForm } from "./form-context";
import type { ControlProps } from "./SchemaFields";

export function TagsPicker(p: ControlProps): JSX.Element {
  const form = useForm();
  const tags = (): string[] => {
    const v = form.value(p.model().path);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === "string") : [];
  };
  const [text, setText] = createSignal("");
  const [known, setKnown] = createSignal<string[]>([]);
  // The catalog's tags are suggestions for typing: asked for when the box is first focused, not when the form
  // renders (a facet query over the whole catalog that an untouched field would never use).
  let asked = false;
  const loadKnown = () => {
    if (asked) return;
    asked = true;
    const kinds = uiOptions(p.model().ui).kinds;
    const filter = Array.isArray(kinds) && kinds.length ? [buildFilterString({ kind: kinds.filter((k): k is string => typeof k === "string") })] : [];
    fetchFacets(["metadata.tags"], filter).then(
      (r) => setKnown((r.facets["metadata.tags"] ?? []).map((f) => f.value).slice(0, 200)),
      () => setKnown([]),
    );
  };
  const add = (raw: string) => {
    const t = raw.trim();
    if (!t) return;
    const next = tags().includes(t) ? tags() : [...tags(), t];
    form.setValue(p.model().path, next);
    form.touch(p.model().path);
    setText("");
  };
  const remove = (t: string) => {
    const next = tags().filter((x) => x !== t);
    form.setValue(p.model().path, next.length ? next : undefined);
  };
  return (
    <div class="form-tags">
      <ul class="tag-list" aria-label={`${p.model().title} chosen`}>
        <For each={tags()}>
          {(t) => (
            <li class="tag form-tag">
              {t}
              <button type="button" class="form-tag-remove" aria-label={`Remove tag ${t}`} onClick={() => remove(t)}>
                ×
              </button>
            </li>
          )}
        </For>
      </ul>
      <input
        class="form-input"
        type="text"
        id={p.id}
        list={`${p.id}-known`}
        autocomplete="off"
        placeholder="Type a tag and press Enter"
        aria-describedby={p.describedBy || undefined}
        aria-invalid={p.invalid || undefined}
        value={text()}
        onFocus={loadKnown}
        onInput={(e) => {
          const v = e.currentTarget.value;
          if (v.endsWith(",")) add(v.slice(0, -1));
          else setText(v);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            add(text());
          } else if (e.key === "Backspace" && text() === "" && tags().length) remove(tags()[tags().length - 1]!);
        }}
        onBlur={() => add(text())}
      />
      <datalist id={`${p.id}-known`}>
        <For each={known()}>{(t) => <option value={t} />}</For>
      </datalist>
    </div>
  );
}
