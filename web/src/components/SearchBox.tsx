/**
 * Search input with typeahead over /api/search (ARIA combobox + listbox). Enter on a suggestion opens the
 * entity; Enter otherwise opens /search?q=. Requests are debounced and stale ones aborted, so typing stays smooth.
 */
import { useNavigate } from "@solidjs/router";
import { createSignal, createUniqueId, For, type JSX, onCleanup, onMount, Show } from "solid-js";
import { fetchSearch } from "../api/search";
import { entityPath } from "../lib/entity-ref";
import { highlightOr, highlightRef, safeHighlight } from "../lib/highlight";
import type { SearchItem } from "../../../contract/catalog-api";
import { DocumentResults } from "./DocumentResults";
import { createBlurClose } from "../lib/blur-close";
import { Icon } from "./Icon";
import { KindBadge } from "./KindBadge";

export function SearchBox(props: {
  size?: "md" | "lg";
  placeholder?: string;
  label?: string;
  initial?: string;
  /** Focus with the "/" key from anywhere on the page. */
  shortcut?: boolean;
  autofocus?: boolean;
  testId?: string;
  /** Pick an entity instead of navigating (e.g. the graph explorer's root picker). */
  onSelect?: (item: SearchItem) => void;
  kind?: string;
}): JSX.Element {
  const navigate = useNavigate();
  const id = createUniqueId();
  const listId = `search-list-${id}`;
  const [value, setValue] = createSignal(props.initial ?? "");
  const [items, setItems] = createSignal<SearchItem[]>([]);
  const [total, setTotal] = createSignal(0);
  const [open, setOpen] = createSignal(false);
  const [active, setActive] = createSignal(-1);
  const [loading, setLoading] = createSignal(false);
  /** The text the last request was for: plugin documents (TechDocs) are looked up for the same text. */
  const [asked, setAsked] = createSignal("");
  let input!: HTMLInputElement;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  const blurClose = createBlurClose(() => setOpen(false), 120);

  const run = (q: string) => {
    controller?.abort();
    if (!q.trim()) {
      setAsked("");
      setItems([]);
      setLoading(false);
      return;
    }
    controller = new AbortController();
    const signal = controller.signal;
    setLoading(true);
    setAsked(q);
    fetchSearch(q, { limit: 8, signal, kind: props.kind })
      .then((res) => {
        if (signal.aborted) return;
        setItems(res.items);
        setTotal(res.total);
        setActive(-1);
        setLoading(false);
      })
      .catch(() => {
        if (signal.aborted) return;
        setItems([]);
        setLoading(false);
      });
  };

  const onInput = (v: string) => {
    blurClose.keep();
    setValue(v);
    setOpen(true);
    clearTimeout(timer);
    timer = setTimeout(() => run(v), 120);
  };

  const go = (path: string) => {
    setOpen(false);
    controller?.abort();
    navigate(path);
  };

  const choose = (item: SearchItem) => {
    if (props.onSelect) {
      setOpen(false);
      setValue("");
      setItems([]);
      props.onSelect(item);
    } else go(entityPath(item.ref));
  };

  const submit = () => {
    const i = active();
    const list = items();
    if (open() && i >= 0 && i < list.length) choose(list[i]!);
    else if (props.onSelect && list.length > 0) choose(list[0]!);
    else if (!props.onSelect && value().trim()) go(`/search?q=${encodeURIComponent(value().trim())}`);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const n = items().length;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      if (n) setActive((a) => (a + 1) % n);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (n) setActive((a) => (a <= 0 ? n - 1 : a - 1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      submit();
    } else if (e.key === "Escape") {
      if (open() && value()) setOpen(false);
      else {
        setValue("");
        setItems([]);
      }
    }
  };

  onMount(() => {
    if (props.autofocus) input.focus();
    if (!props.shortcut) return;
    const onGlobalKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
      if (e.key === "/" && !typing && !e.metaKey && !e.ctrlKey) {
        e.preventDefault();
        input.focus();
        input.select();
      }
    };
    document.addEventListener("keydown", onGlobalKey);
    onCleanup(() => document.removeEventListener("keydown", onGlobalKey));
  });
  onCleanup(() => {
    clearTimeout(timer);
    controller?.abort();
  });

  const expanded = () => open() && value().trim().length > 0;

  return (
    <div class={`search-box search-box-${props.size ?? "md"}`} data-testid={props.testId}>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label class="visually-hidden" for={`search-input-${id}`}>
          {props.label ?? "Search the catalog"}
        </label>
        <Icon name="search" class="search-box-icon" size={props.size === "lg" ? 20 : 16} />
        <input
          ref={input}
          id={`search-input-${id}`}
          type="search"
          role="combobox"
          autocomplete="off"
          spellcheck={false}
          aria-autocomplete="list"
          aria-expanded={expanded()}
          aria-controls={listId}
          aria-activedescendant={active() >= 0 ? `${listId}-${active()}` : undefined}
          placeholder={props.placeholder ?? "Search entities, APIs, teams…"}
          value={value()}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          onFocus={() => {
            blurClose.keep();
            setOpen(true);
          }}
          onBlur={() => blurClose.schedule()}
        />
        <Show when={props.shortcut && !value()}>
          <kbd class="search-box-kbd" aria-hidden="true">
            /
          </kbd>
        </Show>
      </form>
      <div class="search-popover" hidden={!expanded()}>
        <ul id={listId} role="listbox" aria-label="Suggestions" class="search-suggestions">
          <For each={items()}>
            {(item, i) => (
              <li
                id={`${listId}-${i()}`}
                role="option"
                aria-selected={active() === i()}
                class="search-suggestion"
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i())}
                onClick={() => choose(item)}
              >
                <KindBadge kind={item.kind} size="sm" />
                <span class="search-suggestion-main">
                  <span class="search-suggestion-title" innerHTML={highlightOr(item.highlights.title ?? (item.title ? undefined : item.highlights.name), item.title ?? item.name)} />
                  <span class="search-suggestion-ref" innerHTML={highlightRef(item)} />
                  <Show when={!item.highlights.title && !item.highlights.name && !item.highlights.ref && item.highlights.description}>
                    <span class="search-suggestion-desc" innerHTML={safeHighlight(item.highlights.description!)} />
                  </Show>
                </span>
              </li>
            )}
          </For>
        </ul>
        <Show when={!props.onSelect && !props.kind}>
          <DocumentResults q={asked()} variant="suggestions" onPick={go} />
        </Show>
        <Show when={!loading() && items().length === 0}>
          <p class="search-suggestions-empty">No matches for “{value().trim()}”</p>
        </Show>
        <Show when={!props.onSelect}>
        <button type="button" class="search-see-all" onMouseDown={(e) => e.preventDefault()} onClick={() => go(`/search?q=${encodeURIComponent(value().trim())}`)}>
          <Icon name="search" size={14} />
          <span>
            See all results{total() > items().length ? ` (${total()})` : ""} for “{value().trim()}”
          </span>
        </button>
        </Show>
      </div>
    </div>
  );
}
