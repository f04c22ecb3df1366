/** The entity page's sections as links (`?tab=`), so each one is a shareable deep link. */
import { A, useLocation } from "@solidjs/router";
import { For, type JSX } from "solid-js";
import { Icon } from "./Icon";

export interface TabDef {
  id: string;
  label: string;
  icon: string;
}

export function EntityTabs(props: { tabs: TabDef[]; active: string }): JSX.Element {
  const location = useLocation();
  const hrefFor = (id: string) => {
    const sp = new URLSearchParams(location.search);
    if (id === "overview") sp.delete("tab");
    else sp.set("tab", id);
    const qs = sp.toString();
    return `${location.pathname}${qs ? `?${qs}` : ""}`;
  };
  return (
    <nav class="tabs" aria-label="Entity sections">
      <For each={props.tabs}>
        {(t) => (
          <A href={hrefFor(t.id)} class="tab" classList={{ "is-active": t.id === props.active }} aria-current={t.id === props.active ? "page" : undefined} noScroll data-testid={`tab-${t.id}`}>
            <Icon name={t.icon} size={16} />
            {t.label}
          </A>
        )}
      </For>
    </nav>
  );
}
