/**
 * Routes of the portal. Home, catalog and entity pages are in the main bundle (they are where people land,
 * and a lazy route would add a round trip before any data is requested); the rest load on demand.
 * Entity data starts loading with the route (preload), or even earlier from index.html (api/early.ts).
 */
import { type RouteDefinition, Router, usePreloadRoute } from "@solidjs/router";
import { type JSX, lazy } from "solid-js";
import { getEntity } from "./api/entities";
import { Shell } from "./components/Shell";
import { pluginRoutes } from "./plugin-host/plugin-routes";
import { WEB_PLUGINS } from "./plugins";
import Catalog from "./routes/Catalog";
import EntityPage, { route as entityRoute } from "./routes/Entity";
import Home from "./routes/Home";
import { matchesRoute } from "./lib/route-pattern";

const routes: RouteDefinition[] = [
  { path: "/", component: Home },
  { path: "/catalog", component: Catalog },
  { path: "/catalog/:namespace/:kind/:name", component: EntityPage, ...entityRoute },
  { path: "/graph", component: lazy(() => import("./routes/GraphExplorer")) },
  { path: "/search", component: lazy(() => import("./routes/Search")) },
  { path: "/admin/:section?", component: lazy(() => import("./routes/Admin")) },
  { path: "/create", component: lazy(() => import("./routes/scaffolder/Create")) },
  // The template starts loading with the route, beside the form's chunk (not after it).
  { path: "/create/templates/:namespace/:name", component: lazy(() => import("./routes/scaffolder/TemplateForm")), preload: ({ params }) => void getEntity("template", params.namespace!, params.name!) },
  { path: "/create/tasks", component: lazy(() => import("./routes/scaffolder/Tasks")) },
  { path: "/create/tasks/:taskId", component: lazy(() => import("./routes/scaffolder/Task")) },
  { path: "/plugins", component: lazy(() => import("./routes/Plugins")) },
  // Plugin pages (web/src/plugins.ts), each lazily loaded in its own error boundary.
  ...pluginRoutes(WEB_PLUGINS),
  { path: "*404", component: lazy(() => import("./routes/NotFound")) },
];

/**
 * The chunk of the lazy page `pathname` lands on, loading (it was preloaded by the page's head, so this is
 * mostly its evaluation); undefined when that page is in the main bundle. index.tsx renders a deep link to a
 * lazy page once this has settled, so the first frame is the page rather than the shell around a skeleton
 * (one more layout and paint, and the page a task later). The first route in the list whose path matches is
 * taken, where the router ranks matches by score: the same route while no two paths above overlap (plugin
 * pages may not take a core path, slots.ts); nested routes are not looked into, and there are none.
 */
export function firstRouteLoad(pathname: string): Promise<unknown> | undefined {
  for (const route of routes) {
    const paths = Array.isArray(route.path) ? route.path : [route.path];
    if (paths.some((p) => typeof p === "string" && !p.startsWith("*") && matchesRoute(p, pathname))) {
      const preload = (route.component as { preload?: () => Promise<unknown> | void } | undefined)?.preload;
      return preload?.() ?? undefined;
    }
  }
  return undefined;
}

/**
 * The shell renders its routes only once the session check has answered, and a route's lazy chunk only starts
 * loading when the route renders: a deep link to a lazy page (a docs page, a template's form) would download
 * its chunk after the session round trip. Preloading the matched route's chunks here (the router runs this
 * before the shell renders) overlaps the two. Data is not preloaded here: the route's own preload runs when it
 * renders (as the signed-in user), and index.html's early reads (web/public/boot.js) already cover deep links.
 */
function preloadFirstRoute(): void {
  if (typeof window === "undefined") return;
  usePreloadRoute()(window.location.href, { preloadData: false });
}

export function App(): JSX.Element {
  return (
    <Router root={Shell} rootPreload={preloadFirstRoute}>
      {routes}
    </Router>
  );
}
