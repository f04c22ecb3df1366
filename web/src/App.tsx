/** Routes of the portal. Pages load lazily; entity data starts loading with the route (preload). */
import { type RouteDefinition, Router } from "@solidjs/router";
import { type JSX, lazy } from "solid-js";
import { Shell } from "./components/Shell";
import { plugins } from "./plugins";
import { preloadEntity } from "./routes/entity-preload";

const routes: RouteDefinition[] = [
  { path: "/", component: lazy(() => import("./routes/Home")) },
  { path: "/catalog", component: lazy(() => import("./routes/Catalog")) },
  { path: "/catalog/:namespace/:kind/:name", component: lazy(() => import("./routes/Entity")), preload: preloadEntity },
  { path: "/graph", component: lazy(() => import("./routes/GraphExplorer")) },
  { path: "/search", component: lazy(() => import("./routes/Search")) },
  ...plugins.map((p) => ({ path: `${p.path}/*rest`, component: p.component })),
  { path: "*404", component: lazy(() => import("./routes/NotFound")) },
];

export function App(): JSX.Element {
  return <Router root={Shell}>{routes}</Router>;
}
