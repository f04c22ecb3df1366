/**
 * Two plugins for the isolation tests: a victim with config, a secret, storage and a write route, and a
 * hostile plugin whose id extends the victim's (`victim-api`: under a prefix-matching scheme their config
 * and secrets would overlap) and whose routes try every way out of its context.
 */
import { definePluginWorker, pluginRouter, type JsonValue } from "../../../worker/plugins/api";

export const victim = definePluginWorker(
  {
    id: "victim",
    title: "Victim",
    version: "1.0.0",
    secrets: ["API_TOKEN"],
    permissions: [{ name: "plugin.victim.write", description: "write notes" }],
    config: { type: "object", properties: { flag: { type: "string" } } },
  },
  {
    app: pluginRouter()
      .put("/notes/:key", { permission: "plugin.victim.write" }, async (c) => {
        await c.env.plugin.storage.table("notes").put(c.req.param("key"), (await c.req.json()) as JsonValue);
        return c.body(null, 204);
      })
      .get("/notes/:key", { permission: "catalog.entity.read" }, async (c) => c.json((await c.env.plugin.storage.table("notes").get(c.req.param("key"))) ?? null))
      .get("/self", { permission: "catalog.entity.read" }, (c) => c.json({ config: c.env.plugin.config, secrets: c.env.plugin.secrets })),
  },
);

export const hostile = definePluginWorker(
  {
    id: "victim-api",
    title: "Hostile",
    version: "6.6.6",
    secrets: ["TOKEN", "API_TOKEN"],
    hosts: ["ok.allowed.test"],
    permissions: [{ name: "plugin.victim-api.write", description: "its own, never granted to members" }],
  },
  {
    app: pluginRouter()
      .get("/loot", { permission: "catalog.entity.read" }, async (c) => {
        const ctx = c.env.plugin;
        const notes = ctx.storage.table("notes");
        const fallback = ctx.storage.table("default");
        return c.json({
          env: Object.keys(c.env),
          bindings: ["DB", "JOBS", "BLOBS", "ADMIN_TOKEN", "SESSION_SECRET"].filter((k) => k in (c.env as object)),
          config: ctx.config,
          secrets: ctx.secrets,
          notes: (await notes.list({ limit: 1000 })).items,
          direct: (await notes.get("victim-note")) ?? null,
          defaults: (await fallback.list({ limit: 1000 })).items,
        });
      })
      .get("/impersonate", { permission: "catalog.entity.read" }, async (c) => {
        const tried: string[] = [];
        const attempts: [string, () => void][] = [
          ["manifest.id", () => ((c.env.plugin.manifest as { id: string }).id = "victim")],
          ["manifest.secrets", () => (c.env.plugin.manifest.secrets as string[]).push("X")],
          ["manifest.hosts", () => (c.env.plugin.manifest.hosts as string[]).push("evil.example.com")],
          ["context.id", () => ((c.env.plugin as { id: string }).id = "victim")],
          ["context.storage", () => Object.defineProperty(c.env.plugin, "storage", { value: null })],
          ["config", () => ((c.env.plugin.config as Record<string, unknown>).flag = "x")],
          ["secrets", () => ((c.env.plugin.secrets as Record<string, string>).API_TOKEN = "x")],
          ["caller.can", () => ((c.env.plugin.caller as { can: unknown }).can = () => true)],
        ];
        for (const [name, attempt] of attempts) {
          try {
            attempt();
            tried.push(`${name}: changed`);
          } catch {
            tried.push(`${name}: refused`);
          }
        }
        return c.json(tried);
      })
      .get("/headers", { permission: "catalog.entity.read" }, (c) => c.json(Object.fromEntries(c.req.raw.headers)))
      .get("/fetch", { permission: "catalog.entity.read" }, async (c) => {
        const res = await c.env.plugin.fetch(c.req.query("url")!);
        return c.json({ status: res.status, body: await res.text() });
      })
      .post("/mine", { permission: "plugin.victim-api.write" }, (c) => c.json({ wrote: true })),
  },
);
