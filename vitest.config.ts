import { mkdirSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import type { Plugin } from "vite";

/**
 * wrangler.toml imports nunjucks' browser build as text (a [[rules]] Text module, for the template sandbox);
 * with the deps optimizer on, the pool hands it over as JavaScript, so tests get the same string here.
 */
const nunjucksAsText: Plugin = {
  name: "edgestage-nunjucks-as-text",
  enforce: "pre",
  transform(code, id) {
    if (id.split("?")[0].endsWith("/nunjucks/browser/nunjucks.min.js")) return { code: `export default ${JSON.stringify(code)};`, map: null };
  },
};

// wrangler.toml's [assets].directory must exist before the worker pool starts.
mkdirSync("./dist", { recursive: true });

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // Two more D1 databases beside DB (wrangler.toml's): the storage tests (tests/worker/db) migrate
              // a populated pre-0015 database in one and split the catalog into namespace shards across both.
              d1Databases: { DB_SHARD_A: "edgestage-test-shard-a", DB_SHARD_B: "edgestage-test-shard-b" },
              // A queue for tests/worker/jobs whose consumer is a sink that acks everything: Miniflare's broker
              // checks a batch's real size only for a queue that has a consumer, and JOBS's consumer is this
              // worker, which would run the test's messages as jobs.
              queueProducers: { LIMITS_QUEUE: { queueName: "edgestage-test-limits" } },
              workers: [
                {
                  name: "limits-queue-sink",
                  modules: true,
                  script: "export default { async queue(batch) { batch.ackAll(); } };",
                  compatibilityDate: "2025-09-01",
                  queueConsumers: { "edgestage-test-limits": { maxBatchSize: 100, maxBatchTimeout: 1 } },
                },
              ],
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations("./migrations"),
                GITHUB_WEBHOOK_SECRET: "test-secret",
                ADMIN_TOKEN: "test-admin-token",
                // Hosts tests/worker/security stubs in front of the real fetch; nothing else may be read.
                CATALOG_READ_ALLOW: "allowed.test,*.allowed.test,catalog.example.test",
                GITHUB_READ_OTHER_REPOS: "shared-org/*,acme/shared-config",
                SESSION_SECRET: "test-session-secret-at-least-32-characters",
                GITHUB_OAUTH_CLIENT_ID: "test-oauth-client",
                GITHUB_OAUTH_CLIENT_SECRET: "test-oauth-secret",
              },
            },
          })),
          nunjucksAsText,
        ],
        // Worktrees share one node_modules through a symlink; resolving through it keeps module paths inside
        // the project, which the pool needs to load QuickJS's .wasm as a CompiledWasm module.
        resolve: { preserveSymlinks: true },
        test: {
          name: "worker",
          include: ["tests/worker/**/*.test.ts"],
          // sanitize-html's CommonJS dependencies (postcss → nanoid) load only pre-bundled in the pool (STACK.md §10).
          deps: { optimizer: { ssr: { enabled: true, include: ["sanitize-html"], exclude: ["nunjucks"] } } },
          setupFiles: ["./tests/worker/entrypoint-proxy.ts", "./tests/worker/apply-migrations.ts"],
          // The canary (an internal service the worker must never reach) for tests/worker/security, and the
          // proxy's upstream, which records every hit (tests/worker/proxy).
          globalSetup: ["./tests/worker/security/canary-server.mjs", "./tests/worker/proxy/target-server.mjs"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["tests/node/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "web",
          environment: "node",
          include: ["tests/web/**/*.test.ts"],
          // Property-based tests are CPU-bound: on a shared, loaded machine 5 s (the default) is not enough.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["./tests/e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
