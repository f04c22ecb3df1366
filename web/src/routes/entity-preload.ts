/** Starts the entity page's reads as soon as the route matches (before its chunk has loaded). */
import type { RoutePreloadFuncArgs } from "@solidjs/router";
import { getEntity } from "../api/entities";
import { getEntityInfo } from "../api/entity-info";

export function preloadEntity(args: RoutePreloadFuncArgs): void {
  const { kind, namespace, name } = args.params;
  if (!kind || !namespace || !name) return;
  void getEntity(kind, namespace, name).catch(() => undefined);
  void getEntityInfo(kind, namespace, name).catch(() => undefined);
}
