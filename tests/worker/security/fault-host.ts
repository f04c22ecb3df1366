/**
 * A catalog host for url locations (https://catalog.example.test) standing in front of the worker's fetch:
 * it serves files from a map and answers any of them with a fault on request. Other fetches go to whatever
 * fetch was installed before (the fake GitHub, or the real one). Also the queue consumer, called directly,
 * so a test knows when a refresh or sync job has finished.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { vi } from "vitest";
import worker from "../../../worker/index";
import type { JobMessage } from "../../../worker/jobs/types";

export const HOST = "https://catalog.example.test";

export type Fault = "429" | "500" | "502" | "timeout" | "truncate" | "unparsable" | "oversize";
export const FAULTS: Fault[] = ["429", "500", "502", "timeout", "truncate", "unparsable", "oversize"];

export interface CatalogHost {
  /** Path (e.g. `/root.yaml`) → content. */
  files: Map<string, string>;
  /** Path → the fault every read of it meets. */
  faults: Map<string, Fault>;
  requests: string[];
}

/** A body whose stream breaks halfway, as a connection cut mid-answer. */
function cutShort(text: string): Response {
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
      controller.error(new Error("connection reset by peer"));
    },
  });
  return new Response(stream, { headers: { "content-type": "text/yaml; charset=utf-8" } });
}

function answer(fault: Fault | undefined, content: string | undefined): Response {
  switch (fault) {
    case "429":
      return new Response("slow down", { status: 429, headers: { "retry-after": "1" } });
    case "500":
    case "502":
      return new Response("upstream error", { status: Number(fault) });
    case "timeout":
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    case "truncate":
      return cutShort(content ?? "");
    case "unparsable":
      return new Response(`${content ?? ""}\n  broken: [unclosed\n`);
    case "oversize":
      return new Response(`${content ?? ""}\n# ${"x".repeat(4 * 1024 * 1024 + 16)}\n`);
    default:
      return content === undefined ? new Response("Not Found", { status: 404 }) : new Response(content, { headers: { "content-type": "text/yaml; charset=utf-8" } });
  }
}

export function installCatalogHost(): CatalogHost {
  const host: CatalogHost = { files: new Map(), faults: new Map(), requests: [] };
  const previous = globalThis.fetch;
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    if (!req.url.startsWith(`${HOST}/`)) return previous(input, init);
    const path = new URL(req.url).pathname;
    host.requests.push(path);
    return answer(host.faults.get(path), host.files.get(path));
  });
  return host;
}

/** Runs one job through the worker's queue consumer and waits for it; true when it was acked (done or dead), false when retried. */
export async function runJob(body: JobMessage): Promise<boolean> {
  const batch = createMessageBatch<JobMessage>("edgestage-jobs", [{ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  return result.explicitAcks.length === 1;
}
