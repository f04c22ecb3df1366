/** Key/value storage for plugins: one D1 table, every query scoped to the plugin's id. */
import type { PluginStorage } from "./types";

const MAX_VALUE_BYTES = 512 * 1024;

export function createPluginStorage(db: D1Database, pluginId: string): PluginStorage {
  return {
    async get<T>(key: string) {
      const row = await db.prepare("SELECT value FROM plugin_storage WHERE plugin_id = ? AND key = ?").bind(pluginId, key).first<{ value: string }>();
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async put(key, value) {
      const json = JSON.stringify(value ?? null);
      if (json.length > MAX_VALUE_BYTES) throw new RangeError(`plugin storage values are limited to ${MAX_VALUE_BYTES} bytes`);
      await db
        .prepare("INSERT INTO plugin_storage (plugin_id, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(plugin_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
        .bind(pluginId, key, json, Date.now())
        .run();
    },
    async delete(key) {
      await db.prepare("DELETE FROM plugin_storage WHERE plugin_id = ? AND key = ?").bind(pluginId, key).run();
    },
    async list(prefix = "") {
      const { results } = await db
        .prepare("SELECT key, value FROM plugin_storage WHERE plugin_id = ? AND substr(key, 1, ?) = ? ORDER BY key LIMIT 1000")
        .bind(pluginId, prefix.length, prefix)
        .all<{ key: string; value: string }>();
      return results.map((r) => ({ key: r.key, value: JSON.parse(r.value) }));
    },
  };
}
