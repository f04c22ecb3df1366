/** Everything under /docs: the index at /docs, the reader at /docs/:namespace/:kind/:name/<page>. */
import { useLocation } from "@solidjs/router";
import { createMemo, type JSX, Show } from "solid-js";
import type { PluginPageProps } from "../../../contract/plugin-web";
import DocsIndex from "./DocsIndex";
import { Reader } from "./Reader";

function parse(pathname: string) {
  const parts = pathname.replace(/^\/docs\/?/, "").split("/").filter((p) => p !== "");
  if (parts.length < 3) return null;
  try {
    const [namespace, kind, name, ...rest] = parts.map(decodeURIComponent);
    return { entity: { namespace: namespace!, kind: kind!, name: name! }, pageId: rest.join("/") };
  } catch {
    return null;
  }
}

export default function DocsPage(props: PluginPageProps): JSX.Element {
  const location = useLocation();
  const route = createMemo(() => parse(location.pathname));
  return (
    <Show when={route()} fallback={<DocsIndex api={props.api} />}>
      {(r) => <Reader api={props.api} entity={r().entity} pageId={r().pageId} />}
    </Show>
  );
}
