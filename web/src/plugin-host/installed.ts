/**
 * The installed-plugins list: the portal's own web parts (web/src/plugins.ts) merged by id with the worker's
 * `GET /api/plugins`, so a worker-only plugin (no pages) is listed too, and each row says which halves run.
 */
import type { InstalledPlugin } from "../../../contract/plugin";
import type { WebPlugin } from "../../../contract/plugin-web";

/** The manifest fields both halves describe, plus which halves this deployment ships. */
export interface InstalledRow
  extends Pick<InstalledPlugin, "id" | "title" | "version" | "description" | "icon" | "nav" | "entityTabs" | "entityCards" | "permissions" | "hosts"> {
  /** Which halves this deployment ships. */
  web: boolean;
  /** The worker's description, when the worker mounts it (routes, secrets set, config problems). */
  worker: InstalledPlugin | null;
}

/** Web manifests first (their nav, tabs and cards are what the portal shows), then worker-only plugins; sorted by title. */
export function installedRows(web: readonly WebPlugin[], worker: readonly InstalledPlugin[] | undefined): InstalledRow[] {
  const byId = new Map<string, InstalledPlugin>((worker ?? []).map((w) => [w.id, w]));
  const rows: InstalledRow[] = web.map(({ manifest: m }) => {
    const w = byId.get(m.id) ?? null;
    return {
      id: m.id,
      title: m.title,
      version: m.version,
      description: m.description ?? w?.description ?? null,
      icon: m.icon ?? w?.icon ?? null,
      nav: m.nav ?? [],
      entityTabs: m.entityTabs ?? [],
      entityCards: m.entityCards ?? [],
      permissions: m.permissions ?? w?.permissions ?? [],
      hosts: m.hosts ?? w?.hosts ?? [],
      web: true,
      worker: w,
    };
  });
  const webIds = new Set(rows.map((r) => r.id));
  for (const w of worker ?? []) {
    if (webIds.has(w.id)) continue;
    rows.push({ ...w, web: false, worker: w });
  }
  return rows.sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}
