/** The Docs tab on an entity page: its docs home with nav, TOC and search; links open the full reader. */
import { A } from "@solidjs/router";
import type { JSX } from "solid-js";
import type { PluginEntityProps } from "../../../contract/plugin-web";
import { Reader } from "./Reader";
import { readerHref } from "./types";

export default function DocsTab(props: PluginEntityProps): JSX.Element {
  const e = props.entity as { kind?: string; metadata?: { name?: string; namespace?: string } };
  const entity = () => ({ kind: String(e.kind ?? "").toLowerCase(), namespace: String(e.metadata?.namespace ?? "default").toLowerCase(), name: String(e.metadata?.name ?? "").toLowerCase() });
  return (
    <div class="techdocs-tab" data-testid="techdocs-tab">
      <p class="techdocs-tab-open">
        <A href={readerHref(entity())}>Open in the docs reader →</A>
      </p>
      <Reader api={props.api} entity={entity()} pageId="" embedded />
    </div>
  );
}
