/**
 * The worker the plugins bench runs (scripts/bench/plugins.mjs): the real worker with one tiny plugin mounted,
 * `bench`, whose GET /ping does what the core route GET /api/plugins does (the same permission check, a small
 * JSON answer), so the difference is the plugin mount: its context, the header-filtered Request and the
 * plugin's own Hono app. `/__bench/plugins-inside?n=N` times both through app.request() inside the isolate.
 */
import worker from "../../worker/index.ts";
// Every named export of the real entry (the Workflow classes wrangler.toml binds, e.g. ScaffolderTaskWorkflow):
// `export *` derives the list, so a class added there cannot go missing here and fail the dry-run bundle.
export * from "../../worker/index.ts";
import { createApp } from "../../worker/app.ts";
import { definePluginWorker, pluginRouter } from "../../worker/plugins/api.ts";

const bench = definePluginWorker(
  { id: "bench", title: "Bench", version: "1.0.0" },
  { app: pluginRouter().get("/ping", { permission: "catalog.entity.read" }, (c) => c.json({ items: [] })) },
);
const app = createApp([bench]);

async function inside(req, env, ctx) {
  const url = new URL(req.url);
  const n = Math.min(Number(url.searchParams.get("n") ?? "2000"), 20000);
  const headers = { cookie: req.headers.get("cookie") ?? "" };
  const paths = { core: "/api/plugins", plugin: "/api/plugins/bench/ping" };
  const totals = { core: 0, plugin: 0 };
  const BLOCK = 250;
  // Blocks of requests, alternating: the isolate's clock is coarse, so only long spans are timed.
  for (let done = -BLOCK; done < n; done += BLOCK) {
    for (const name of done % (2 * BLOCK) ? ["core", "plugin"] : ["plugin", "core"]) {
      const t0 = Date.now();
      for (let i = 0; i < BLOCK; i++) {
        const res = await app.request(`${url.origin}${paths[name]}`, { headers }, env, ctx);
        await res.arrayBuffer();
        if (res.status !== 200) return new Response(`${paths[name]} answered ${res.status}`, { status: 500 });
      }
      await scheduler.wait(1); // let the clock move on
      if (done >= 0) totals[name] += Date.now() - t0 - 1;
    }
  }
  return Response.json({ n, coreMs: totals.core / n, pluginMs: totals.plugin / n });
}

export default {
  ...worker,
  fetch(req, env, ctx) {
    if (new URL(req.url).pathname === "/__bench/plugins-inside") return inside(req, env, ctx);
    return app.fetch(req, env, ctx);
  },
};
