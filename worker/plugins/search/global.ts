/**
 * The plugins' documents for the global search: the installed plugins' hits for the typed text, grouped by
 * plugin in the deployment's plugin order, at most `perPlugin` each, only for entities the caller may see
 * (store.ts, searchAllPlugins). Documents of a plugin that is no longer installed never show.
 */
import type { SearchHit, WorkerPlugin } from "../../../contract/plugin-worker";
import { toSearchHit } from "../context/search";
import { ftsMatchExpression } from "./query";
import { searchAllPlugins } from "./store";

export interface DocumentGroup {
  plugin: { id: string; title: string };
  items: SearchHit[];
}

export async function searchPluginDocuments(db: D1Database, plugins: readonly WorkerPlugin[], text: string, perPlugin: number): Promise<DocumentGroup[]> {
  const match = ftsMatchExpression(text);
  if (!match || !plugins.length) return [];
  const rows = await searchAllPlugins(db, plugins.map((p) => p.manifest.id), match, perPlugin);
  const groups: DocumentGroup[] = [];
  for (const p of plugins) {
    const items = rows.filter((r) => r.pluginId === p.manifest.id).map(toSearchHit);
    if (items.length) groups.push({ plugin: { id: p.manifest.id, title: p.manifest.title }, items });
  }
  return groups;
}
