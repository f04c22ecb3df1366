/**
 * Which plugin slots the portal shows: sidebar entries, routed pages, and the entity tabs and cards whose
 * `when` predicate holds for an entity. Pure functions of the plugin list, so the rules (first declaration
 * wins, core tab ids are reserved, a manifest entry without a component is skipped) are tested without a DOM.
 */
import { matchesEntity, type PluginEntityCard, type PluginEntityTab, type PluginNavEntry, type PredicateEntity } from "../../../contract/plugin";
import type { PluginEntityProps, PluginPageProps, WebPlugin } from "../../../contract/plugin-web";
import type { Component } from "solid-js";

export type SlotLoader<P extends Record<string, any>> = () => Promise<{ default: Component<P> }>;

export interface PageSlot {
  plugin: WebPlugin;
  nav: PluginNavEntry;
  load: SlotLoader<PluginPageProps>;
}

export interface EntitySlot<D extends PluginEntityTab | PluginEntityCard> {
  plugin: WebPlugin;
  slot: D;
  load: SlotLoader<PluginEntityProps>;
}

/** Tab ids the entity page uses itself; a plugin tab with one of them is not shown. (`definition` is the api-docs plugin's.) */
export const CORE_TAB_IDS: readonly string[] = ["overview", "history", "yaml"];

/** Portal paths the core routes own; a plugin page there would be unreachable or would shadow the core. */
const CORE_PATHS = ["/", "/catalog", "/graph", "/search", "/admin", "/plugins", "/api"];

function ownsCorePath(path: string): boolean {
  const p = path.replace(/\/+$/, "") || "/";
  return CORE_PATHS.some((core) => (core === "/" ? p === "/" : p === core || p.startsWith(`${core}/`)));
}

function loaderOf<P extends Record<string, any>>(table: Record<string, SlotLoader<P>> | undefined, key: string): SlotLoader<P> | undefined {
  return table && Object.hasOwn(table, key) && typeof table[key] === "function" ? table[key] : undefined;
}

/** Every nav entry that has a page component, outside the core's paths, each path once (first plugin wins). */
export function pageSlots(plugins: readonly WebPlugin[]): PageSlot[] {
  const out: PageSlot[] = [];
  const seen = new Set<string>();
  for (const plugin of plugins) {
    for (const nav of plugin.manifest.nav ?? []) {
      const load = loaderOf(plugin.pages, nav.path);
      const key = nav.path.replace(/\/+$/, "").toLowerCase();
      if (!load || !nav.path.startsWith("/") || ownsCorePath(nav.path) || seen.has(key)) continue;
      seen.add(key);
      out.push({ plugin, nav, load });
    }
  }
  return out;
}

// One slot object per declaration, so a refetched entity re-selects the same objects and keyed lists
// (<For>, keyed <Show>) keep the plugin components mounted instead of remounting them.
const slotObjects = new WeakMap<object, EntitySlot<any>>();

function slotFor<D extends PluginEntityTab | PluginEntityCard>(plugin: WebPlugin, slot: D, load: SlotLoader<PluginEntityProps>): EntitySlot<D> {
  let s = slotObjects.get(slot) as EntitySlot<D> | undefined;
  if (!s || s.plugin !== plugin || s.load !== load) slotObjects.set(slot, (s = { plugin, slot, load }));
  return s;
}

function entitySlots<D extends PluginEntityTab | PluginEntityCard>(
  plugins: readonly WebPlugin[],
  entity: PredicateEntity,
  declared: (p: WebPlugin) => readonly D[] | undefined,
  components: (p: WebPlugin) => Record<string, SlotLoader<PluginEntityProps>> | undefined,
  reserved: readonly string[],
): EntitySlot<D>[] {
  const out: EntitySlot<D>[] = [];
  const seen = new Set(reserved);
  for (const plugin of plugins) {
    for (const slot of declared(plugin) ?? []) {
      const load = loaderOf(components(plugin), slot.id);
      if (!load || seen.has(slot.id) || !matchesEntity(slot.when, entity)) continue;
      seen.add(slot.id);
      out.push(slotFor(plugin, slot, load));
    }
  }
  return out;
}

/** The plugin tabs an entity page shows, in plugin-list order. */
export function entityTabSlots(plugins: readonly WebPlugin[], entity: PredicateEntity): EntitySlot<PluginEntityTab>[] {
  return entitySlots(plugins, entity, (p) => p.manifest.entityTabs, (p) => p.entityTabs, CORE_TAB_IDS);
}

/** The plugin cards an entity's overview shows, in plugin-list order. Card ids are per plugin, so two plugins may reuse one. */
export function entityCardSlots(plugins: readonly WebPlugin[], entity: PredicateEntity): EntitySlot<PluginEntityCard>[] {
  return plugins.flatMap((plugin) => entitySlots([plugin], entity, (p) => p.manifest.entityCards, (p) => p.entityCards, []));
}

/** The core cards that these plugin card slots (entityCardSlots of one entity) stand in for. */
export function replacedCoreCards(cards: readonly EntitySlot<PluginEntityCard>[]): ReadonlySet<string> {
  return new Set(cards.flatMap((s) => (s.slot.replaces ? [s.slot.replaces] : [])));
}
