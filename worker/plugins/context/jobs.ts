/**
 * A plugin's jobs: `enqueue(payload)` puts a `plugin-hook` message for this plugin on the shared JOBS queue;
 * the consumer (worker/jobs/consumer.ts) runs the plugin's onJob with its hook context, retrying and
 * dead-lettering it like any job. Payloads are JSON, capped so a message always fits the queue.
 */
import type { JsonValue, PluginJobs } from "../../../contract/plugin-worker";
import { ApiError } from "../../errors";
import type { PluginHookJob } from "../hooks/types";

/**
 * Queues take messages up to 128 KB as V8 serializes them, where a string with one character outside
 * Latin-1 takes two bytes a character: 60 KB of JSON is at most about 123 KB there, message included
 * (messageBytes in worker/jobs/enqueue.ts; tests/worker/jobs/enqueue.test.ts sends the largest).
 */
export const MAX_JOB_PAYLOAD_BYTES = 60 * 1024;
/** Queues delay a message by at most 12 hours. */
export const MAX_JOB_DELAY_SECONDS = 43_200;

const encoder = new TextEncoder();

export function checkJobPayload(payload: unknown): JsonValue {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (err) {
    throw new ApiError("InputError", `Job payloads must be JSON: ${(err as Error).message}`);
  }
  if (json === undefined) throw new ApiError("InputError", "Job payloads must be JSON (got undefined or a function)");
  const bytes = encoder.encode(json).byteLength;
  if (bytes > MAX_JOB_PAYLOAD_BYTES) throw new ApiError("PayloadTooLargeError", `Job payloads are limited to ${MAX_JOB_PAYLOAD_BYTES} bytes of JSON; this one is ${bytes}`);
  // What the consumer will see: plain JSON, no prototypes, no undefined holes.
  return JSON.parse(json) as JsonValue;
}

export function createPluginJobs(queue: Queue, pluginId: string): PluginJobs {
  return {
    async enqueue(payload, options = {}) {
      const delay = options?.delaySeconds;
      if (delay !== undefined && (!Number.isInteger(delay) || delay < 0 || delay > MAX_JOB_DELAY_SECONDS)) {
        throw new ApiError("InputError", `Job delays are whole seconds from 0 to ${MAX_JOB_DELAY_SECONDS}`);
      }
      const message: PluginHookJob = { type: "plugin-hook", pluginId, hook: "job", payload: checkJobPayload(payload) };
      await queue.send(message, delay ? { delaySeconds: delay } : undefined);
    },
  };
}
