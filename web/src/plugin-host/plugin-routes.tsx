/**
 * The router entries for plugin pages: each nav entry's page at its path and everything under it
 * (`/api-docs`, `/api-docs/anything`), rendered in a PluginSlot so its chunk loads on first visit.
 */
import type { RouteDefinition } from "@solidjs/router";
import type { JSX } from "solid-js";
import { PageSkeleton } from "../components/PageSkeleton";
import { PluginSlot } from "./PluginSlot";
import { preloadSlot } from "./slot-cache";
import { pluginApiFor } from "./plugin-api";
import { type PageSlot, pageSlots } from "./slots";
import type { WebPlugin } from "../../../contract/plugin-web";

function PluginPage(props: { slot: PageSlot }): JSX.Element {
  return (
    <div class="plugin-page" data-testid="plugin-page">
      <PluginSlot
        plugin={props.slot.plugin}
        title={props.slot.nav.title}
        load={props.slot.load}
        props={{ api: pluginApiFor(props.slot.plugin.manifest.id) }}
        fallback={<PageSkeleton label={`Loading ${props.slot.nav.title}…`} />}
      />
    </div>
  );
}

export function pluginRoutes(plugins: readonly WebPlugin[]): RouteDefinition[] {
  return pageSlots(plugins).map((slot) => {
    const base = slot.nav.path.replace(/\/+$/, "");
    // The page's chunk as the component's preload, so the router can fetch it before the shell renders (App.tsx).
    const component = Object.assign(() => <PluginPage slot={slot} />, { preload: () => preloadSlot(slot.load) });
    return { path: [base, `${base}/*rest`], component };
  });
}
