/** Performance marks the benchmark (scripts/bench/web.mjs) reads: one per page, set once per load. */

const done = new Set<string>();

export type PerfMark = "edgestage:catalog-rows" | "edgestage:entity-header" | "edgestage:home" | "edgestage:search-results";

export function markOnce(name: PerfMark): void {
  if (done.has(name) || typeof performance === "undefined") return;
  done.add(name);
  performance.mark(name);
}
