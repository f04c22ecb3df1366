/**
 * The Docs card on a documented entity's overview: how its docs built (pages, last build, commit) and the
 * build's problems (also recorded as processing errors on the entity, up to 20, which the entity page's
 * banner shows; the card lists all of them, up to 100).
 */
import { A } from "@solidjs/router";
import { createResource, type JSX, Show } from "solid-js";
import type { PluginEntityProps } from "../../../contract/plugin-web";
import { Problems } from "./Problems";
import { When } from "./When";
import { readerHref, type SiteSummary, sitePath } from "./types";
import "./techdocs.css";

export default function DocsCard(props: PluginEntityProps): JSX.Element {
  const e = props.entity as { kind?: string; metadata?: { name?: string; namespace?: string } };
  const entity = { kind: String(e.kind ?? "").toLowerCase(), namespace: String(e.metadata?.namespace ?? "default").toLowerCase(), name: String(e.metadata?.name ?? "").toLowerCase() };
  const [site] = createResource(() => props.api.fetchJson<SiteSummary>(sitePath(entity)).catch(() => null));
  return (
    <div class="techdocs-card" data-testid="techdocs-card">
      <Show when={site()} fallback={<p class="muted">{site.loading ? "Loading…" : "Not built yet: the docs build after the next push or catalog:load."}</p>}>
        {(s) => (
          <>
            <p>
              <A href={readerHref(entity)}>{s().siteName}</A> · {s().pageCount} page{s().pageCount === 1 ? "" : "s"}
            </p>
            <Show when={s().build}>
              {(b) => (
                <p class="muted">
                  Built <When iso={b().at} /> ({b().trigger}){b().commit ? ` at ${b().commit!.slice(0, 7)}` : ""}: {b().rendered} rendered, {b().unchanged} unchanged
                </p>
              )}
            </Show>
            <Problems problems={s().problems} title={s().status === "failed" ? "The docs build failed" : undefined} />
          </>
        )}
      </Show>
    </div>
  );
}
