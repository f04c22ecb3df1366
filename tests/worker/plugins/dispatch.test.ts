/**
 * Dispatch to plugins, through the queue: a verified GitHub webhook reaches the onWebhook of each plugin
 * that subscribes to its event (plugin-only events included; large bodies parked in BLOBS), a committed
 * catalog refresh reaches onCatalogChange with the upserted entities and their location URL and the removed
 * refs, and a hook that throws is retried and dead-lettered without touching ingestion. The global search
 * returns plugin documents grouped by plugin, only for entities in the catalog.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { sign } from "@octokit/webhooks-methods";
import { createApp } from "../../../worker/app";
import { listDeadLetters } from "../../../worker/jobs/dead-letters";
import { MAX_ATTEMPTS } from "../../../worker/jobs/consumer";
import { MAX_MESSAGE_BYTES } from "../../../worker/jobs/enqueue";
import type { JobMessage } from "../../../worker/jobs/types";
import { createPluginSearch } from "../../../worker/plugins/context/search";
import { announceCatalogChange, changeOf, PARKED_WEBHOOK_PREFIX, pruneParkedWebhooks } from "../../../worker/plugins/hooks/dispatch";
import { definePluginWorker, type CatalogChange, type PluginWebhook } from "../../../worker/plugins/api";
import pushTemplate from "../../fixtures/github/push.json";
import { component, uniq } from "../helpers";
import { createRepo, installFakeGithub, yamlComponent } from "../ingestion/github-helpers";
import { json, requester } from "./helpers";
import { captureQueue, drain, runMessages } from "./queue-helpers";

const webhooks: PluginWebhook[] = [];
const changes: CatalogChange[] = [];
let failWebhook = false;

const listener = definePluginWorker(
  { id: "listener", title: "Listener", version: "1.0.0", webhooks: ["push", "issues"] },
  {
    async onWebhook(w, ctx) {
      if (failWebhook) throw new Error("listener is down");
      webhooks.push(w);
      await ctx.storage.table("seen").put(w.deliveryId, w.event);
    },
    async onCatalogChange(change) {
      changes.push(change);
    },
  },
);
// Subscribes in its manifest but has no hook: nothing is queued for it.
const deaf = definePluginWorker({ id: "deaf", title: "Deaf", version: "1.0.0", webhooks: ["push"] });
const plugins = [listener, deaf];

let q: ReturnType<typeof captureQueue>;
let request: ReturnType<typeof requester>;
beforeEach(() => {
  q = captureQueue();
  request = requester(createApp(plugins), { JOBS: q.queue });
  webhooks.length = 0;
  changes.length = 0;
  failWebhook = false;
});

async function deliver(event: string, payload: unknown, opts: { id?: string; secret?: string } = {}) {
  const body = JSON.stringify(payload);
  const id = opts.id ?? crypto.randomUUID();
  const res = await request("/api/github/webhook", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "content-length": String(new TextEncoder().encode(body).byteLength),
      "x-github-event": event,
      "x-github-delivery": id,
      "x-hub-signature-256": await sign(opts.secret ?? "test-secret", body),
      "x-anonymous": "1",
    },
  });
  return { res, id, body: await json(res) };
}

const pluginMessages = (messages: JobMessage[]) => messages.filter((m) => m.type === "plugin-hook");

describe("webhooks to plugins", () => {
  it("queues a verified push for each subscriber next to the catalog's own jobs, and runs its onWebhook", async () => {
    const { res, id, body } = await deliver("push", pushTemplate);
    expect(res.status).toBeLessThan(300);
    expect(body.plugins).toEqual(["listener"]);
    const sent = q.take();
    expect(pluginMessages(sent)).toEqual([{ type: "plugin-hook", pluginId: "listener", hook: "webhook", event: "push", githubDelivery: id, payload: pushTemplate }]);
    expect((await runMessages(pluginMessages(sent), plugins)).acked).toBe(1);
    expect(webhooks).toEqual([{ event: "push", deliveryId: id, payload: pushTemplate }]);
  });

  it("reads, verifies and delivers an event only plugins use", async () => {
    const payload = { action: "opened", issue: { number: 7, title: "Bug" }, repository: { full_name: "acme/x" } };
    const { res, id, body } = await deliver("issues", payload);
    // The answer is the catalog's (it does not use `issues`); the plugins it was queued for are named.
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ status: "unsupported", plugins: ["listener"] });
    await runMessages(pluginMessages(q.take()), plugins);
    expect(webhooks).toEqual([{ event: "issues", deliveryId: id, payload }]);
    // Nobody subscribes to `star`: answered without reading, as before.
    const star = await deliver("star", { action: "created" });
    expect(star.res.status).toBe(200);
    expect(star.body.status).toBe("unsupported");
    expect(q.sent).toEqual([]);
  });

  it("delivers nothing to plugins for a bad signature or a duplicate delivery", async () => {
    const bad = await deliver("issues", { action: "opened" }, { secret: "wrong" });
    expect(bad.res.status).toBe(401);
    expect(q.sent).toEqual([]);
    const first = await deliver("issues", { action: "closed" });
    expect(pluginMessages(q.take()).length).toBe(1);
    const again = await deliver("issues", { action: "closed" }, { id: first.id });
    expect(again.body.status).toBe("duplicate");
    expect(q.sent).toEqual([]);
  });

  it("parks a body too large for a message in BLOBS and hands the plugin all of it", async () => {
    const payload = { action: "edited", issue: { body: "x".repeat(MAX_MESSAGE_BYTES / 2) } };
    const { id } = await deliver("issues", payload);
    const [message] = pluginMessages(q.take());
    expect(message).toMatchObject({ payloadKey: expect.stringMatching(/^core\/webhooks\//) });
    expect(message).not.toHaveProperty("payload");
    await runMessages([message], plugins);
    expect(webhooks).toEqual([{ event: "issues", deliveryId: id, payload }]);
  });

  it("prunes parked bodies past their retention, and nothing of the plugins' own objects", async () => {
    await env.BLOBS.put(`${PARKED_WEBHOOK_PREFIX}old.json`, "{}");
    await env.BLOBS.put("plugins/listener/keep.txt", "mine");
    // Uploaded at `uploaded`: not older than that instant, so it stays (no wall-clock race with a slow run).
    const uploaded = (await env.BLOBS.head(`${PARKED_WEBHOOK_PREFIX}old.json`))!.uploaded.getTime();
    await pruneParkedWebhooks(env.BLOBS, uploaded);
    expect(await env.BLOBS.head(`${PARKED_WEBHOOK_PREFIX}old.json`)).not.toBeNull();
    expect(await pruneParkedWebhooks(env.BLOBS, Date.now() + 1000)).toBeGreaterThanOrEqual(1);
    expect((await env.BLOBS.list({ prefix: PARKED_WEBHOOK_PREFIX })).objects).toEqual([]);
    expect(await env.BLOBS.head("plugins/listener/keep.txt")).not.toBeNull();
  });

  it("retries a failing onWebhook and dead-letters it at the last attempt; ingestion's jobs are queued all the same", async () => {
    failWebhook = true;
    const { res } = await deliver("push", pushTemplate);
    expect(res.status).toBeLessThan(300);
    const sent = q.take();
    expect(sent.some((m) => m.type === "github-push")).toBe(true);
    const messages = pluginMessages(sent);
    expect(await runMessages(messages, plugins)).toMatchObject({ acked: 0, retried: 1 });
    expect(await runMessages(messages, plugins, {}, MAX_ATTEMPTS)).toMatchObject({ acked: 1, retried: 0 });
    expect((await listDeadLetters(env.DB, { limit: 1 }))[0]).toMatchObject({ type: "plugin-hook", error: "Error: listener is down" });
  });
});

describe("catalog changes to plugins", () => {
  it("tells onCatalogChange what a load upserted (entity, location url) and later removed", async () => {
    const name = uniq("svc");
    const root = `/repo/${name}/catalog-info.yaml`;
    const load = (content: string) =>
      request("/api/catalog/ingest", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ location: { type: "file", target: root }, files: [{ target: root, content }], roots: [root], complete: true }),
      });
    expect((await load(component(name))).status).toBe(200);
    expect(q.sent.map((m) => m.body.type)).toEqual(["catalog-changed"]);
    expect(await drain(q, plugins)).toBe(2); // the change, then one message for the one listener
    expect(changes).toHaveLength(1);
    expect(changes[0].removed).toEqual([]);
    expect(changes[0].upserted).toEqual([
      { ref: `component:default/${name}`, entity: expect.objectContaining({ kind: "Component", metadata: expect.objectContaining({ name }) }), locationKey: `file:${root}`, locationUrl: null },
    ]);

    // Unchanged: nothing to announce.
    await load(component(name));
    expect(q.sent).toEqual([]);

    changes.length = 0;
    const renamed = uniq("svc");
    expect((await load(component(renamed))).status).toBe(200);
    await drain(q, plugins);
    expect(changes).toEqual([{ upserted: [expect.objectContaining({ ref: `component:default/${renamed}` })], removed: [] }, { upserted: [], removed: [`component:default/${name}`] }]);
  });

  it("gives url locations their URL, chunks large changes and never throws when the queue fails", async () => {
    const report = (n: number) => ({ location: "url:https://github.com/acme/x/blob/main/catalog-info.yaml", added: Array.from({ length: n }, (_, i) => `component:default/c${i}`), updated: [], removed: ["component:default/gone"], unchanged: [], rejected: [], conflicts: [] });
    expect(changeOf([report(1)])).toEqual({ upserted: [{ ref: "component:default/c0", locationKey: report(1).location }], removed: ["component:default/gone"] });
    const big = captureQueue();
    await announceCatalogChange(big.queue, [report(450)]);
    expect(big.sent.map((m) => (m.body as Extract<JobMessage, { type: "catalog-changed" }>).change.upserted.length)).toEqual([200, 200, 50, 0]);
    const broken = { send: async () => Promise.reject(new Error("queue down")), sendBatch: async () => Promise.reject(new Error("queue down")) } as unknown as Queue;
    await expect(announceCatalogChange(broken, [report(3)])).resolves.toBeUndefined();
  });

  it("fans a change out only to plugins with onCatalogChange, and a throwing listener affects no one else", async () => {
    const boom = definePluginWorker({ id: "boom", title: "Boom", version: "1.0.0" }, { onCatalogChange: async () => Promise.reject(new Error("boom")) });
    const fan = captureQueue();
    await runMessages([{ type: "catalog-changed", change: { upserted: [], removed: ["component:default/x"] } }], [listener, deaf, boom], { JOBS: fan.queue });
    const messages = fan.take();
    expect(messages.map((m) => (m as { pluginId: string }).pluginId)).toEqual(["listener", "boom"]);
    expect(await runMessages(messages, [listener, deaf, boom])).toMatchObject({ acked: 1, retried: 1 });
    expect(changes).toEqual([{ upserted: [], removed: ["component:default/x"] }]);
  });
});

describe("catalog changes from GitHub", () => {
  it("announces what a repository sync indexed, with the file's GitHub URL", async () => {
    const fake = installFakeGithub();
    const name = uniq("gh");
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent(name) });
    const sync: JobMessage = { type: "github-sync", repo: { id: repo.id, owner: repo.owner, name: repo.name, installationId: null }, reason: "test" };
    expect((await runMessages([sync], plugins, { JOBS: q.queue })).acked).toBe(1);
    await drain(q, plugins);
    const url = `https://github.com/${repo.owner}/${repo.name}/blob/main/catalog-info.yaml`;
    expect(changes.flatMap((c) => c.upserted).find((u) => u.ref === `component:default/${name}`)).toMatchObject({ locationKey: `url:${url}`, locationUrl: url, entity: expect.objectContaining({ kind: "Component" }) });
  });
});

describe("plugin documents in the global search", () => {
  it("returns documents grouped by plugin, only for entities in the catalog and installed plugins", async () => {
    const name = uniq("docsvc");
    const root = `/repo/${name}/catalog-info.yaml`;
    await request("/api/catalog/ingest", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ location: { type: "file", target: root }, files: [{ target: root, content: component(name) }], roots: [root], complete: true }) });
    const ref = `component:default/${name}`;
    await createPluginSearch(env.DB, "listener").index([
      { id: "a", entityRef: ref, title: "Quokka handbook", text: "All about the <quokka>", path: `/docs/default/component/${name}` },
      { id: "ghost", entityRef: "component:default/not-in-catalog", title: "Quokka ghost", text: "quokka", path: "/docs/x" },
    ]);
    await createPluginSearch(env.DB, "deaf").index([{ id: "b", entityRef: ref, title: "Other", text: "a quokka appears", path: "/deaf/x" }]);
    await createPluginSearch(env.DB, "uninstalled").index([{ id: "c", entityRef: ref, title: "Quokka", text: "quokka", path: "/u/x" }]);

    const res = await request("/api/search/documents?q=quokk");
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.groups.map((g: { plugin: { id: string } }) => g.plugin)).toEqual([
      { id: "listener", title: "Listener" },
      { id: "deaf", title: "Deaf" },
    ]);
    expect(body.groups[0].items).toEqual([
      { id: "a", entityRef: ref, title: "Quokka handbook", section: null, path: `/docs/default/component/${name}`, snippet: "All about the &#60;<mark>quokka</mark>&#62;" },
    ]);
    expect((await json(await request("/api/search/documents?q=quokka&plugin=deaf"))).groups.map((g: { plugin: { id: string } }) => g.plugin.id)).toEqual(["deaf"]);
    expect((await json(await request('/api/search/documents?q=" OR *'))).groups).toEqual([]);
  });

  it("answers bad parameters with 400 and anonymous callers with 401", async () => {
    expect((await request("/api/search/documents")).status).toBe(400);
    expect((await request("/api/search/documents?q=x&limit=0")).status).toBe(400);
    expect((await request("/api/search/documents?q=x", { headers: { "x-anonymous": "1" } })).status).toBe(401);
  });
});
