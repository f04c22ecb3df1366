/** Main navigation: core pages, then one slot per plugin page (web/src/plugins.ts). */
import { A, useLocation } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import { allowedSections } from "../lib/access";
import { useSession } from "../lib/session";
import { plugins } from "../plugins";
import { Icon } from "./Icon";

const NAV = [
  { href: "/", label: "Home", icon: "home", end: true },
  { href: "/catalog", label: "Catalog", icon: "catalog", end: false },
  { href: "/graph", label: "Relations graph", icon: "graph", end: false },
  { href: "/search", label: "Search", icon: "search", end: false },
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
      <Show when={plugins.length > 0}>
        <p class="nav-section">Plugins</p>
        <ul class="nav-list" data-testid="plugin-nav">
          <For each={plugins}>
            {(p) => (
              <li>
                <A href={p.path} class="nav-link" classList={{ "is-active": isActive(p.path, false) }} aria-current={isActive(p.path, false) ? "page" : undefined} onClick={props.onNavigate}>
                  <Icon name={p.icon ?? "puzzle"} />
                  <span>{p.title}</span>
                </A>
              </li>
            )}
          </For>
        </ul>
      </Show>
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
