/** The site's nav tree (mkdocs.yml's nav, or its files in order) as a sidebar; sections start open and collapse. */
import { A } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import { type EntityName, type NavItem, readerHref } from "./types";

export function Nav(props: { items: readonly NavItem[]; entity: EntityName; current: string }): JSX.Element {
  return (
    <ul class="techdocs-nav-list">
      <For each={props.items}>
        {(item) => (
          <li>
            <Show
              when={item.children}
              fallback={
                <Show when={item.pageId !== undefined} fallback={<a href={item.url} rel="noopener noreferrer" target="_blank">{item.title} ↗</a>}>
                  <A href={readerHref(props.entity, item.pageId)} classList={{ active: item.pageId === props.current }} aria-current={item.pageId === props.current ? "page" : undefined} end>
                    {item.title}
                  </A>
                </Show>
              }
            >
              <details open>
                <summary>{item.title}</summary>
                <Nav items={item.children!} entity={props.entity} current={props.current} />
              </details>
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}
