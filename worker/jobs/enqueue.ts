/**
 * Sending to the shared JOBS queue. Every batch goes through enqueueAll, which keeps within the limits
 * Queues enforce on a sendBatch (at most 100 messages and 256,000 bytes in all, 128,000 bytes a message):
 * a call over them is refused whole, and every message in it is lost (tests/node/architecture.test.ts keeps
 * other modules from calling sendBatch themselves).
 */
import type { JobMessage } from "./types";

export const MAX_BATCH_MESSAGES = 100;
/** The limits in bytes, as Miniflare's broker checks them, less a margin. */
export const MAX_BATCH_BYTES = 250_000;
export const MAX_MESSAGE_BYTES = 125_000;

/**
 * An upper bound of a body's size on the queue, which counts the V8-serialized form. V8 writes a string at
 * one byte a UTF-16 unit, or two for the whole string when any unit is outside Latin-1; so a mostly ASCII
 * body with one emoji can take twice its UTF-8 length. Twice the JSON's length covers that, the strings'
 * tags and lengths (JSON's quotes), and the rest of the framing; the constant covers the header and padding.
 */
export function messageBytes(body: unknown): number {
  return 2 * JSON.stringify(body).length + 64;
}

/**
 * Consecutive groups of `items`, in order, each of at most `maxCount` items whose sizes sum to at most
 * `maxBytes`. An item larger than `maxBytes` alone makes a group of its own.
 */
export function groupWithin<T>(items: readonly T[], size: (item: T) => number, maxCount: number, maxBytes: number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length && (current.length >= maxCount || bytes + n > maxBytes)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length) groups.push(current);
  return groups;
}

export async function enqueue(env: Env, message: JobMessage, delaySeconds?: number): Promise<void> {
  await env.JOBS.send(message, delaySeconds ? { delaySeconds } : undefined);
}

/** Sends the messages in order, in as few batches as the queue's limits allow. */
export async function enqueueAll(queue: Queue, messages: readonly JobMessage[]): Promise<void> {
  for (const group of groupWithin(messages, messageBytes, MAX_BATCH_MESSAGES, MAX_BATCH_BYTES)) {
    await queue.sendBatch(group.map((body) => ({ body })));
  }
}
