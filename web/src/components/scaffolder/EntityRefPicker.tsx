/**
 * OwnerPicker and EntityPicker: a combobox over catalog search, limited by `catalogFilter` (or
 * `allowedKinds`; OwnerPicker defaults to groups and users). Typed text that names an entity is completed
 * with `defaultKind`/`defaultNamespace` and stored as a full entity ref, as Backstage's pickers do.
 */
import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from "solid-js";
import {
  catalogFilterQuery,
  catalogFilters,
  entityRefDefaults,
  parseEntityRefInput,
  stringifyEntityRefParts,
  uiOptions,
} from "../../../../contract/template-params/api";
import { queryEntities } from "../../api/entities";
import { createBlurClose } from "../../lib/blur-close";
import type { PartialEntity } from "../../../../contract/entity";
import { useForm } from "./form-context";
import type { ControlProps } from "./SchemaFields";

interface Suggestion {
  ref: string;
  title: string;
  kind: string;
}

function toSuggestion(e: PartialEntity): Suggestion {
  const ref = stringifyEntityRefParts({ kind: e.kind ?? "unknown", namespace: e.metadata?.namespace ?? "default", name: e.metadata?.name ?? "" });
  return { ref, title: e.metadata?.title || e.metadata?.name || ref, kind: e.kind ?? "" };
}

export function EntityRefPicker(p: ControlProps & { fallbackKinds?: readonly string[] }): JSX.Element {
  const form = useForm();
  const options = () => uiOptions(p.model().ui);
  const filters = () => catalogFilterQuery(catalogFilters(options(), p.fallbackKinds));
  const defaults = () => entityRefDefaults(options(), p.fallbackKinds);
  const current = () => {
    const v = form.value(p.model().path);
    return typeof v === "string" ? v : "";
  };
  const [text, setText] = createSignal(current());
  const [open, setOpen] = createSignal(false);
  const [items, setItems] = createSignal<Suggestion[]>([]);
  const [active, setActive] = createSignal(-1);
  const [loading, setLoading] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  // An outside change of the value (a default, formData from the URL) shows up in the box.
  createEffect(on(current, (v) => v !== toRef(text()) && setText(v), { defer: true }));

  const toRef = (t: string) => {
    const ref = parseEntityRefInput(t, defaults());
    return ref ? stringifyEntityRefParts(ref) : t.trim();
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const blurClose = createBlurClose(() => setOpen(false), 150);
  let controller: AbortController | undefined;
  const search = (term: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      controller?.abort();
      const c = (controller = new AbortController());
      setLoading(true);
      queryEntities({ filter: filters(), fields: ["kind", "metadata.name", "metadata.namespace", "metadata.title"], fullTextFilterTerm: term.trim() || undefined, fullTextFilterFields: ["metadata.name", "metadata.title"], orderField: ["metadata.name", "asc"], limit: 20 }, c.signal).then(
        (res) => {
          if (c.signal.aborted) return;
          setItems(res.items.map(toSuggestion));
          setActive(-1);
          setFailed(false);
          setLoading(false);
        },
        () => {
          if (c.signal.aborted) return;
          setFailed(true);
          setLoading(false);
        },
      );
    }, 120);
  };
  onCleanup(() => {
    clearTimeout(timer);
    controller?.abort();
  });

  const commitText = (t: string) => {
    setText(t);
    form.setValue(p.model().path, t.trim() ? toRef(t) : undefined);
  };
  const choose = (s: Suggestion) => {
    setText(s.ref);
    form.setValue(p.model().path, s.ref);
    form.touch(p.model().path);
    setOpen(false);
  };
  const listId = `${p.id}-list`;
  const preview = () => {
    const t = text().trim();
    const r = t ? toRef(t) : "";
    return r && r !== t ? r : "";
  };

  return (
    <div class="form-combobox">
      <input
        class="form-input"
        type="text"
        id={p.id}
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded={open()}
        aria-controls={listId}
        aria-activedescendant={active() >= 0 ? `${listId}-${active()}` : undefined}
        aria-describedby={p.describedBy || undefined}
        aria-invalid={p.invalid || undefined}
        aria-required={p.model().required || undefined}
        autofocus={p.model().autofocus || undefined}
        value={text()}
        onFocus={() => {
          blurClose.keep();
          setOpen(true);
          search(text() === current() ? "" : text());
        }}
        onInput={(e) => {
          blurClose.keep();
          commitText(e.currentTarget.value);
          setOpen(true);
          search(e.currentTarget.value);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(items().length - 1, a + 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(-1, a - 1));
          } else if (e.key === "Enter" && open() && active() >= 0) {
            e.preventDefault();
            choose(items()[active()]!);
          } else if (e.key === "Escape") setOpen(false);
        }}
        onBlur={() => {
          // Let a click on an option land before the list closes.
          blurClose.schedule();
          form.touch(p.model().path);
        }}
      />
      <Show when={preview()}>
        <p class="form-help">Will be saved as {preview()}</p>
      </Show>
      <Show when={open() && (items().length > 0 || loading() || failed())}>
        <ul class="form-listbox" role="listbox" id={listId} aria-label={`${p.model().title} suggestions`}>
          <Show when={failed()}>
            <li class="form-listbox-note">Could not search the catalog; type a reference instead.</li>
          </Show>
          <Show when={loading() && items().length === 0}>
            <li class="form-listbox-note">Searching…</li>
          </Show>
          <For each={items()}>
            {(s, i) => (
              <li
                role="option"
                id={`${listId}-${i()}`}
                aria-selected={active() === i()}
                classList={{ "is-active": active() === i() }}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(s);
                }}
              >
                <span class="form-listbox-title">{s.title}</span>
                <span class="form-listbox-ref">{s.ref}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
