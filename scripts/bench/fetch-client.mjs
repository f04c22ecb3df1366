#!/usr/bin/env node
/**
 * A load client in its own process, using plain `fetch` (undici, what users' scripts and most Node tools
 * use), so its cost does not sit on the bench process's event loop and it is not the bench's tuned
 * node:http agent. Reads one JSON spec on stdin:
 *   { requests: [{ url, method?, body?, headers? }], concurrency, count, warmup?, headers? }
 * runs `count` calls (cycling through `requests`) closed-loop with `concurrency` in flight after a warm-up,
 * and prints { count, errors, p50, p95, p99, mean, max, rps } as JSON on stdout. Every body is read to the end.
 */
import { performance } from "node:perf_hooks";

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const spec = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const { requests, concurrency = 16, count = 1000, headers = {} } = spec;
const warmup = spec.warmup ?? Math.min(200, concurrency * 4);

let errors = 0;
let firstError;
async function call(i) {
  const r = requests[i % requests.length];
  const res = await fetch(r.url, { method: r.method ?? "GET", body: r.body, headers: { ...headers, ...(r.headers ?? {}) } });
  await res.arrayBuffer();
  if (res.status >= 400) {
    errors++;
    firstError ??= `${r.method ?? "GET"} ${r.url} → ${res.status}`;
  }
}

async function drive(n, offset, latencies) {
  let next = 0;
  const slot = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const t0 = performance.now();
      await call(offset + i);
      latencies?.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, slot));
}

const pct = (sorted, p) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
const round = (v) => Math.round(v * 100) / 100;

await drive(warmup, count, null);
errors = 0;
const latencies = [];
const start = performance.now();
await drive(count, 0, latencies);
const wall = performance.now() - start;
latencies.sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    count: latencies.length,
    errors,
    firstError,
    p50: round(pct(latencies, 50)),
    p95: round(pct(latencies, 95)),
    p99: round(pct(latencies, 99)),
    mean: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    max: round(latencies.at(-1)),
    rps: Math.round((latencies.length / wall) * 1000),
  }),
);
