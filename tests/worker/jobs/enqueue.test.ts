/**
 * Sending to the queue within its limits (worker/jobs/enqueue.ts). Queues refuse a sendBatch of more than
 * 100 messages or 256 KB, and a message over 128 KB, counting the V8-serialized form, in which a string
 * holding one character outside Latin-1 takes two bytes a character. A refused batch loses every message in
 * it. These tests send to LIMITS_QUEUE, a real queue whose consumer acks everything (vitest.config.ts), so
 * the broker's own checks decide; nothing here is a copy of the limits' arithmetic. (The pool's queue counts
 * a wide string's bytes as UTF-8, where `npm start` and production count two a character: the wide cases
 * here pass in the pool either way, and the narrow ones are what fails without the limits.)
 */
import { env } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { enqueueAll, groupWithin, MAX_MESSAGE_BYTES, messageBytes } from "../../../worker/jobs/enqueue";
import type { JobMessage } from "../../../worker/jobs/types";
import { definePluginWorker } from "../../../worker/plugins/api";
import { createPluginJobs, MAX_JOB_PAYLOAD_BYTES } from "../../../worker/plugins/context/jobs";
import { announceCatalogChange, dispatchWebhook } from "../../../worker/plugins/hooks/dispatch";

/** LIMITS_QUEUE, recording what it was sent and what it refused. */
function recordingQueue() {
  const sent: unknown[] = [];
  const refused: Error[] = [];
  const queue = {
    async send(body: unknown) {
      await env.LIMITS_QUEUE.send(body);
      sent.push(body);
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      const list = [...messages];
      try {
        await env.LIMITS_QUEUE.sendBatch(list);
      } catch (err) {
        refused.push(err as Error);
        throw err;
      }
      sent.push(...list.map((m) => m.body));
    },
  } as unknown as Queue;
  return { queue, sent, refused };
}

/** A body of about `chars` characters, with one outside Latin-1 so V8 stores the string two bytes wide. */
const wide = (chars: number, tag = "") => `${tag}中${"x".repeat(chars)}`;
const job = (text: string) => ({ type: "refresh-location", locationKey: text }) as JobMessage;

describe("the queue's limits are real", () => {
  it("a single sendBatch over 256 KB is refused whole, and enqueueAll sends the same messages in order", async () => {
    const messages = Array.from({ length: 40 }, (_, i) => job(`m${i}:${"x".repeat(8_000)}`));
    await expect(env.LIMITS_QUEUE.sendBatch(messages.map((body) => ({ body })))).rejects.toThrow();
    const q = recordingQueue();
    await enqueueAll(q.queue, messages);
    expect(q.refused).toEqual([]);
    expect(q.sent).toEqual(messages);
  });

  it("more than 100 small messages go in several batches", async () => {
    const messages = Array.from({ length: 250 }, (_, i) => job(`l${i}`));
    await expect(env.LIMITS_QUEUE.sendBatch(messages.map((body) => ({ body })))).rejects.toThrow();
    const q = recordingQueue();
    await enqueueAll(q.queue, messages);
    expect(q.sent).toEqual(messages);
  });
});

describe("messageBytes bounds what the broker counts", () => {
  // Any JSON body of at most MAX_MESSAGE_BYTES by messageBytes: the broker takes it, alone and in the
  // batches enqueueAll makes of many. Wide and narrow strings, numbers, nesting and empty containers.
  const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), fc.integer({ min: 0, max: 30_000 }).map((n) => wide(n)), fc.integer({ min: 0, max: 60_000 }).map((n) => "a".repeat(n)));
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null)),
    node: fc.oneof({ depthSize: "small" }, tie("leaf"), fc.array(tie("node"), { maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 12 }), tie("node"), { maxKeys: 6 })),
  })).node;
  const body = value.map((v) => ({ type: "refresh-location", locationKey: "k", extra: v }) as unknown as JobMessage).filter((b) => messageBytes(b) <= MAX_MESSAGE_BYTES);

  it("for any such bodies, no batch enqueueAll sends is refused", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 30 }), async (messages) => {
        const q = recordingQueue();
        await enqueueAll(q.queue, messages);
        expect(q.refused).toEqual([]);
        expect(q.sent.length).toBe(messages.length);
      }),
      { numRuns: 40 },
    );
  });
});

describe("groupWithin", () => {
  it("keeps order and items, and each group within both limits (an oversized item alone), greedily", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 120 })), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 200 }), (sizes, maxCount, maxBytes) => {
        const items = sizes.map((size, i) => ({ i, size }));
        const groups = groupWithin(items, (x) => x.size, maxCount, maxBytes);
        expect(groups.flat()).toEqual(items);
        const sum = (g: typeof items) => g.reduce((n, x) => n + x.size, 0);
        for (const [k, g] of groups.entries()) {
          expect(g.length).toBeGreaterThan(0);
          expect(g.length).toBeLessThanOrEqual(maxCount);
          if (g.length > 1) expect(sum(g)).toBeLessThanOrEqual(maxBytes);
          // Greedy: the next group's first item would not have fitted in this one.
          const next = groups[k + 1];
          if (next) expect(g.length === maxCount || sum(g) + next[0].size > maxBytes).toBe(true);
        }
      }),
    );
  });
});

describe("callers keep within the limits", () => {
  it("a catalog change of thousands of entities with long, wide location URLs reaches the queue whole", async () => {
    const location = `url:https://github.com/acme/${wide(300)}/blob/main/catalog-info.yaml`;
    const added = Array.from({ length: 3000 }, (_, i) => `component:default/service-${i}`);
    const q = recordingQueue();
    await announceCatalogChange(q.queue, [{ location, added, updated: [], removed: ["component:default/gone"], unchanged: [], rejected: [], conflicts: [] }]);
    expect(q.refused).toEqual([]);
    const changes = (q.sent as Extract<JobMessage, { type: "catalog-changed" }>[]).map((m) => m.change);
    expect(changes.flatMap((c) => c.upserted.map((u) => u.ref))).toEqual(added);
    expect(changes.flatMap((c) => c.removed)).toEqual(["component:default/gone"]);
  });

  it("a webhook for several plugins whose messages would overfill a batch, or one wide in V8, is parked in BLOBS", async () => {
    const plugins = ["a", "b", "c", "d"].map((id) => definePluginWorker({ id: `listener-${id}`, title: id, version: "1.0.0", webhooks: ["issues"] }, { async onWebhook() {} }));
    // 95 KB each, four subscribers: one message each fits, the four do not fit one batch. And about 70 KB
    // as UTF-8 that V8 holds as 140 KB: over the 128 KB a message may take.
    for (const body of ["x".repeat(95_000), wide(70_000)]) {
      const payload = { action: "edited", issue: { body } };
      const q = recordingQueue();
      const deliveryId = crypto.randomUUID();
      const queued = await dispatchWebhook({ ...env, JOBS: q.queue } as Env, plugins, { event: "issues", deliveryId, payload });
      expect(q.refused).toEqual([]);
      expect(queued).toEqual(plugins.map((p) => p.manifest.id));
      expect(q.sent).toEqual(plugins.map((p) => expect.objectContaining({ pluginId: p.manifest.id, payloadKey: expect.stringContaining(deliveryId) })));
      expect(await (await env.BLOBS.get(`core/webhooks/${deliveryId}.json`))?.json()).toEqual(payload);
    }
  });
});

describe("a plugin's job payload", () => {
  it("at its cap, and wide, still fits one message by messageBytes and is taken by the queue", async () => {
    // The JSON of this string is exactly the cap in UTF-8 bytes, with one character outside Latin-1.
    const payload = `中${"x".repeat(MAX_JOB_PAYLOAD_BYTES - 3 - 2)}`;
    expect(new TextEncoder().encode(JSON.stringify(payload)).byteLength).toBe(MAX_JOB_PAYLOAD_BYTES);
    const q = recordingQueue();
    await createPluginJobs(q.queue, "a-plugin-with-a-rather-long-identifier-of-sixty-four-characters-x").enqueue(payload);
    expect(q.sent).toHaveLength(1);
    expect(messageBytes(q.sent[0])).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  });
});
