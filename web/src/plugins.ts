/**
 * Plugin pages shown in the sidebar, listed explicitly (no discovery): the bundle shows exactly what ships.
 * Each entry is `{ id, title, path, icon?, component: lazy(() => import("../../plugins/<id>/web/Page")) }`.
 */
import type { PortalPlugin } from "./types";

export const plugins: PortalPlugin[] = [];
