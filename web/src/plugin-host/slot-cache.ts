/**
 * Plugin components by loader, once their chunk has loaded. A slot whose component is here renders at once,
 * without a skeleton frame; the router fills it for a deep link's page while the session check runs
 * (plugin-routes.tsx), so the page does not wait a resource's turn after its chunk has arrived.
 * A failed load is not kept, so Try again imports the chunk afresh.
 */
import type { Component } from "solid-js";
import type { SlotLoader } from "./slots";

const loaded = new WeakMap<SlotLoader<any>, Component<any>>();

/** The component, if this loader's chunk has already loaded. */
export function loadedComponent<P extends Record<string, any>>(load: SlotLoader<P>): Component<P> | undefined {
  return loaded.get(load) as Component<P> | undefined;
}

export async function loadComponent<P extends Record<string, any>>(load: SlotLoader<P>): Promise<Component<P>> {
  const cached = loadedComponent(load);
  if (cached) return cached;
  const mod = await load();
  if (typeof mod?.default !== "function") throw new Error("The plugin's module has no default export component");
  loaded.set(load, mod.default);
  return mod.default;
}

/** Starts loading a slot's component and keeps it; a failure is left for the slot to show when it renders. */
export function preloadSlot(load: SlotLoader<any>): Promise<void> {
  return loadComponent(load).then(
    () => undefined,
    () => undefined,
  );
}
