declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
      /** Extra D1 databases for tests/worker/db (vitest.config.ts). */
      DB_SHARD_A: D1Database;
      DB_SHARD_B: D1Database;
      /** A queue with no consumer (vitest.config.ts), for tests/worker/jobs. */
      LIMITS_QUEUE: Queue;
    }
  }
}
export {};
