/**
 * The frame around every page: skip link, sidebar (a drawer below 900px), top bar with search, theme
 * toggle and the account menu, and a main region whose errors and loading states never leave the screen
 * blank. Nobody signed in (the session answers 401): the sign-in page instead of the frame.
 */
import { useLocation, type RouteSectionProps } from "@solidjs/router";
import { createEffect, createResource, createSignal, ErrorBoundary, type JSX, Match, on, Show, Suspense, Switch } from "solid-js";
import { fetchSession } from "../api/session";
import { SessionContext, useSession } from "../lib/session";
import SignIn from "../routes/SignIn";
import { ErrorState } from "./ErrorState";
import { Icon } from "./Icon";
import { PageSkeleton } from "./PageSkeleton";
import { SearchBox } from "./SearchBox";
import { Sidebar } from "./Sidebar";
import { ThemeToggle } from "./ThemeToggle";
import { UserMenu } from "./UserMenu";

export function Shell(props: RouteSectionProps): JSX.Element {
  const location = useLocation();
  const [session] = createResource(fetchSession);
  return (
    <SessionContext.Provider value={session}>
      <Switch fallback={<Frame {...props} />}>
        <Match when={location.pathname === "/sign-in"}>
          <SignIn />
        </Match>
        <Match when={session.loading}>
          <div class="boot" role="status">
            <span class="boot-logo" />
            Loading Edgestage…
          </div>
        </Match>
        <Match when={!session.error && session() === null}>
          <SignIn />
        </Match>
      </Switch>
    </SessionContext.Provider>
  );
}

function Frame(props: RouteSectionProps): JSX.Element {
  const location = useLocation();
  const session = useSession();
  const [menuOpen, setMenuOpen] = createSignal(false);
  let main!: HTMLElement;

  // Moving to another page: close the drawer and move focus to the content for screen-reader users.
  createEffect(
    on(
      () => location.pathname,
      () => {
        setMenuOpen(false);
        if (document.activeElement && document.activeElement !== document.body && main && !main.contains(document.activeElement)) {
          main.focus({ preventScroll: true });
        }
      },
      { defer: true },
    ),
  );

  const showTopSearch = () => location.pathname !== "/" && location.pathname !== "/search";

  return (
    <div class="app">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar open={menuOpen()} onNavigate={() => setMenuOpen(false)} />
      <Show when={menuOpen()}>
        <div class="scrim" aria-hidden="true" onClick={() => setMenuOpen(false)} />
      </Show>
      <div class="app-main">
        <header class="topbar">
          <button type="button" class="icon-button menu-button" aria-label={menuOpen() ? "Close navigation" : "Open navigation"} aria-expanded={menuOpen()} aria-controls="sidebar" onClick={() => setMenuOpen((v) => !v)}>
            <Icon name={menuOpen() ? "close" : "menu"} />
          </button>
          <div class="topbar-search">
            <Show when={showTopSearch()}>
              <SearchBox shortcut placeholder="Search the catalog" testId="global-search" />
            </Show>
          </div>
          <div class="topbar-actions">
            <ThemeToggle />
            <Show when={session?.error ? undefined : session?.()}>{(current) => <UserMenu session={current()} />}</Show>
          </div>
        </header>
        <main id="main" tabindex="-1" ref={main}>
          <ErrorBoundary
            fallback={(err, reset) => {
              createEffect(on(() => location.pathname + location.search, () => reset(), { defer: true }));
              return (
                <div class="page">
                  <ErrorState error={err} onRetry={reset} />
                </div>
              );
            }}
          >
            <Suspense fallback={<PageSkeleton />}>{props.children}</Suspense>
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
