/** Main navigation: core pages, then each plugin nav entry (web/src/plugins.ts) and the installed-plugins page. */
import { A, useLocation } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import { allowedSections } from "../lib/access";
import { useSession } from "../lib/session";
import { pageSlots } from "../plugin-host/slots";
import { WEB_PLUGINS } from "../plugins";
import { Icon } from "./Icon";

const PLUGIN_PAGES = pageSlots(WEB_PLUGINS);

const NAV = [
  { href: "/", label: "Home", icon: "home", end: true },
  { href: "/catalog", label: "Catalog", icon: "catalog", end: false },
  { href: "/graph", label: "Relations graph", icon: "graph", end: false },
  { href: "/search", label: "Search", icon: "search", end: false },
  { href: "/create", label: "Create", icon: "plus", end: false },
];

export function Sidebar(props: { open: boolean; onNavigate: () => void }): JSX.Element {
  const location = useLocation();
  const session = useSession();
  // Shown only to callers who may use at least one admin page; the pages explain themselves to others.
  const showAdmin = () => allowedSections(session?.error ? null : session?.()).length > 0;
  const isActive = (href: string, end: boolean) => (end ? location.pathname === href : location.pathname === href || location.pathname.startsWith(`${href}/`));
  return (
    <nav class={`sidebar${props.open ? " is-open" : ""}`} aria-label="Main" id="sidebar">
      <A href="/" class="brand" onClick={props.onNavigate} aria-label="Edgestage home">
        <span class="brand-mark" aria-hidden="true">
          <svg viewBox="0 0 32 32" width="28" height="28">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path d="M9 22V10h14M9 16h10M9 22h14" stroke="var(--brand-ink)" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
        </span>
        <span class="brand-name">Edgestage</span>
      </A>
      <ul class="nav-list">
        <For each={NAV}>
          {(item) => (
            <li>
              <A href={item.href} class="nav-link" classList={{ "is-active": isActive(item.href, item.end) }} aria-current={isActive(item.href, item.end) ? "page" : undefined} onClick={props.onNavigate}>
                <Icon name={item.icon} />
                <span>{item.label}</span>
              </A>
            </li>
          )}
        </For>
      </ul>
      <p class="nav-section">Plugins</p>
      <ul class="nav-list" data-testid="plugin-nav">
        <For each={PLUGIN_PAGES}>
          {(p) => (
            <li>
              <A href={p.nav.path} class="nav-link" classList={{ "is-active": isActive(p.nav.path, false) }} aria-current={isActive(p.nav.path, false) ? "page" : undefined} onClick={props.onNavigate} data-plugin={p.plugin.manifest.id}>
                <Icon name={p.nav.icon ?? p.plugin.manifest.icon ?? "puzzle"} />
                <span>{p.nav.title}</span>
              </A>
            </li>
          )}
        </For>
        <li>
          <A href="/plugins" class="nav-link" classList={{ "is-active": isActive("/plugins", true) }} aria-current={isActive("/plugins", true) ? "page" : undefined} onClick={props.onNavigate}>
            <Icon name="puzzle" />
            <span>Installed plugins</span>
          </A>
        </li>
      </ul>
      <Show when={showAdmin()}>
        <p class="nav-section">Manage</p>
        <ul class="nav-list" data-testid="admin-nav">
          <li>
            <A href="/admin" class="nav-link" classList={{ "is-active": isActive("/admin", false) }} aria-current={isActive("/admin", false) ? "page" : undefined} onClick={props.onNavigate}>
              <Icon name="layers" />
              <span>Administration</span>
            </A>
          </li>
        </ul>
      </Show>
      <div class="sidebar-footer">
        <span>Backstage-compatible catalog</span>
      </div>
    </nav>
  );
}
