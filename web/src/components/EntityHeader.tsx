/** Top of an entity page: breadcrumb, kind, title, star, owner, lifecycle, type and tags. */
import { A } from "@solidjs/router";
import { For, type JSX, onMount, Show } from "solid-js";
import { displayName, entityRefOf, resolveRef } from "../lib/entity-ref";
import { kindLabel } from "../lib/kinds";
import { markOnce } from "../lib/perf";
import type { Entity } from "../../../contract/entity";
import { EntityRefLink } from "./EntityRefLink";
import { KindBadge } from "./KindBadge";
import { StarButton } from "./StarButton";

export function EntityHeader(props: { entity: Entity }): JSX.Element {
  const e = () => props.entity;
  const ref = () => entityRefOf(e());
  const ns = () => e().metadata.namespace ?? "default";
  const owner = () => resolveRef(e().spec?.owner, "group", ns());
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  onMount(() => markOnce("edgestage:entity-header"));
  return (
    <header class="entity-header" data-testid="entity-header">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <ol>
          <li>
            <A href="/catalog">Catalog</A>
          </li>
          <li>
            <A href={`/catalog?kind=${encodeURIComponent(e().kind.toLowerCase())}`}>{kindLabel(e().kind)}</A>
          </li>
          <li aria-current="page">{e().metadata.name}</li>
        </ol>
      </nav>
      <div class="entity-title-row">
        <KindBadge kind={e().kind} />
        <h1 class="entity-title">{displayName(e())}</h1>
        <StarButton entityRef={ref()} name={displayName(e())} />
      </div>
      <div class="entity-facts">
        <code class="entity-ref-code" title="Entity reference">
          {ref()}
        </code>
        <Show when={owner()}>
          <span class="fact">
            <span class="fact-label">Owner</span> <EntityRefLink entityRef={owner()!} />
          </span>
        </Show>
        <Show when={str(e().spec?.type)}>
          <span class="fact">
            <span class="fact-label">Type</span> <span class="chip">{str(e().spec?.type)}</span>
          </span>
        </Show>
        <Show when={str(e().spec?.lifecycle)}>
          <span class="fact">
            <span class="fact-label">Lifecycle</span> <span class={`lifecycle lifecycle-${str(e().spec?.lifecycle)!.toLowerCase()}`}>{str(e().spec?.lifecycle)}</span>
          </span>
        </Show>
      </div>
      <Show when={(e().metadata.tags?.length ?? 0) > 0}>
        <ul class="tag-list" aria-label="Tags">
          <For each={e().metadata.tags}>
            {(t) => (
              <li>
                <A class="tag tag-link" href={`/catalog?tag=${encodeURIComponent(t)}`}>
                  {t}
                </A>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </header>
  );
}
