/**
 * The docs reader: the site's nav in a sidebar, the page (HTML the worker rendered and sanitized), its table
 * of contents, edit/view-source links, "last updated" with commit and author, and a search box for the site.
 * Links inside the page are reader routes already; clicks on them navigate in the portal instead of reloading.
 */
import { A, useLocation, useNavigate } from "@solidjs/router";
import { createEffect, createResource, For, type JSX, on, Show } from "solid-js";
import type { WebPluginApi } from "../../../contract/plugin-web";
import { createAfterPaint } from "../../../web/src/plugin-kit/after-paint";
import { DocsSearch } from "./DocsSearch";
import { Nav } from "./Nav";
import { Problems } from "./Problems";
import { When } from "./When";
import { type EntityName, type PageAnswer, readerHref, type Site, sitePath, useHighlightCss } from "./types";
import "./techdocs.css";

/** Content tabs (`=== "Tab"`) arrive as labelled blocks; here they become a tab list. */
function enhanceTabs(root: HTMLElement) {
  for (const set of Array.from(root.querySelectorAll<HTMLElement>(".tabbed-set"))) {
    if (set.dataset.enhanced) continue;
    set.dataset.enhanced = "1";
    const blocks = Array.from(set.querySelectorAll<HTMLElement>(":scope > .tabbed-block"));
    const bar = document.createElement("div");
    bar.className = "tabbed-bar";
    bar.setAttribute("role", "tablist");
    const select = (i: number) =>
      blocks.forEach((b, j) => {
        b.hidden = i !== j;
        bar.children[j]?.setAttribute("aria-selected", String(i === j));
      });
    blocks.forEach((b, i) => {
      const label = b.querySelector<HTMLElement>(":scope > .tabbed-label");
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "tab");
      button.textContent = label?.textContent ?? `Tab ${i + 1}`;
      button.addEventListener("click", () => select(i));
      bar.appendChild(button);
      if (label) label.hidden = true;
    });
    set.prepend(bar);
    select(0);
  }
}

/** What one page of the reader shows: the site (nav, header) and the page, or why the page could not be read. */
interface View {
  site: Site;
  page?: PageAnswer;
  pageError?: unknown;
}

export function Reader(props: { api: WebPluginApi; entity: EntityName; pageId: string; embedded?: boolean }): JSX.Element {
  useHighlightCss();
  const navigate = useNavigate();
  const location = useLocation();
  const key = () => `${props.entity.namespace}/${props.entity.kind}/${props.entity.name}`;
  // Site and page in one resource, so the reader renders once when both are there (two resources meant two
  // render passes, each in its own task). The site is asked for once per entity, not again on each page.
  let siteRead: { key: string; answer: Promise<Site> } | undefined;
  const readSite = (k: string) => {
    if (siteRead?.key !== k) {
      const answer = props.api.fetchJson<Site>(sitePath(props.entity));
      siteRead = { key: k, answer };
      answer.catch(() => siteRead?.answer === answer && (siteRead = undefined));
    }
    return siteRead.answer;
  };
  const [view] = createResource(
    () => [key(), props.pageId] as const,
    async ([k, id]): Promise<View> => {
      const page = props.api.fetchJson<PageAnswer>(`${sitePath(props.entity)}/page?path=${encodeURIComponent(id)}`).then(
        (answer) => ({ page: answer }),
        (pageError: unknown) => ({ pageError }),
      );
      const [site, p] = await Promise.all([readSite(k), page]);
      return { site, ...p };
    },
  );
  // A resource read while it holds an error throws; the error states below read `view.error` instead.
  const current = () => (view.error ? undefined : view());
  const page = () => current()?.page;
  let content: HTMLDivElement | undefined;

  createEffect(
    on(page, (p) => {
      if (!p || !content) return;
      enhanceTabs(content);
      const hash = decodeURIComponent(location.hash.replace(/^#/, ""));
      const target = hash ? document.getElementById(hash) : null;
      if (target) target.scrollIntoView();
      else if (!props.embedded) window.scrollTo(0, 0);
      document.title = `${p.page.title} · ${p.site.siteName}`;
      // For the bench (scripts/bench/techdocs.mjs): the first page of this document is on screen.
      if (!performance.getEntriesByName("edgestage:techdocs-page").length) performance.mark("edgestage:techdocs-page");
    }),
  );

  const onContentClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as HTMLElement).closest("a");
    if (!a) return;
    const href = a.getAttribute("href") ?? "";
    if (href.startsWith("#")) {
      e.preventDefault();
      document.getElementById(decodeURIComponent(href.slice(1)))?.scrollIntoView();
      history.replaceState(null, "", href);
    } else if (href.startsWith("/docs/")) {
      e.preventDefault();
      navigate(href);
    }
  };

  const ref = () => `${props.entity.kind}:${props.entity.namespace}/${props.entity.name}`;

  return (
    <div class="techdocs" classList={{ "techdocs-embedded": !!props.embedded, page: !props.embedded }} data-testid="techdocs-reader">
      <Show when={view.error || current()?.pageError}>
        {(err) => (
          <div class="techdocs-missing card" data-testid="techdocs-error">
            <h2>{view.error ? "No docs for this entity yet" : "Page not found"}</h2>
            <p class="muted">{String((err() as { message?: unknown }).message ?? "")}</p>
            <Show when={!view.error}>
              <A href={readerHref(props.entity)}>Go to the docs home</A>
            </Show>
          </div>
        )}
      </Show>
      <Show when={current()?.site}>
        {(s) => {
          // The page first; the nav and the table of contents one frame later, in grid columns of fixed width,
          // so they neither hold up the page (a 200-page nav is most of the render) nor move it.
          const painted = createAfterPaint();
          return (
            <>
              <header class="techdocs-header">
                <div>
                  <h1 class="techdocs-site-name">
                    <A href={readerHref(props.entity)}>{s().siteName}</A>
                  </h1>
                  <p class="muted">
                    <A href={`/catalog/${encodeURIComponent(props.entity.namespace)}/${encodeURIComponent(props.entity.kind)}/${encodeURIComponent(props.entity.name)}`}>{ref()}</A>
                    <Show when={s().entity.owner}> · owned by {s().entity.owner}</Show>
                    <Show when={s().build}> · built <When iso={s().build!.at} /></Show>
                  </p>
                </div>
                <DocsSearch api={props.api} entityRef={ref()} />
              </header>
              <Problems problems={s().problems} />
              <div class="techdocs-layout">
                <nav class="techdocs-nav" aria-label="Docs navigation" data-testid="techdocs-nav">
                  <Show when={painted()}>
                    <Nav items={s().nav} entity={props.entity} current={props.pageId} />
                  </Show>
                </nav>
                <Show when={page()}>
                  {(p) => (
                    <>
                      <article class="techdocs-article">
                        <div class="techdocs-content" ref={content} innerHTML={p().page.html} onClick={onContentClick} data-testid="techdocs-content" />
                        <footer class="techdocs-page-footer">
                          <div class="techdocs-source-links">
                            <Show when={p().meta.editUrl}>
                              <a href={p().meta.editUrl!} target="_blank" rel="noopener noreferrer">Edit this page</a>
                            </Show>
                            <Show when={p().meta.viewUrl}>
                              <a href={p().meta.viewUrl!} target="_blank" rel="noopener noreferrer">View source</a>
                            </Show>
                          </div>
                          <Show when={p().meta.commit?.date || p().meta.commit?.sha}>
                            <p class="muted" data-testid="techdocs-last-updated">
                              Last updated <When iso={p().meta.commit!.date} />
                              <Show when={p().meta.commit!.sha}>
                                {" "}in <code>{p().meta.commit!.sha!.slice(0, 7)}</code>
                              </Show>
                              <Show when={p().meta.commit!.author}> by {p().meta.commit!.author}</Show>
                            </p>
                          </Show>
                          <nav class="techdocs-prev-next" aria-label="Previous and next page">
                            <Show when={p().meta.prev}>{(prev) => <A href={readerHref(props.entity, prev().id)}>← {prev().title}</A>}</Show>
                            <Show when={p().meta.next}>{(next) => <A href={readerHref(props.entity, next().id)}>{next().title} →</A>}</Show>
                          </nav>
                        </footer>
                      </article>
                      <aside class="techdocs-toc" aria-label="On this page">
                        <Show when={painted() && p().page.toc.length > 0}>
                          <h2>On this page</h2>
                          <ul>
                            <For each={p().page.toc}>
                              {(t) => (
                                <li class={`toc-level-${t.level}`}>
                                  <a href={`#${t.id}`} onClick={onContentClick}>
                                    {t.text}
                                  </a>
                                </li>
                              )}
                            </For>
                          </ul>
                        </Show>
                      </aside>
                    </>
                  )}
                </Show>
              </div>
            </>
          );
        }}
      </Show>
    </div>
  );
}
