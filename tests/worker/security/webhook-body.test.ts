/**
 * POST /api/github/webhook checks before it reads: the event and delivery headers, the signature header's
 * form and the Content-Length come first, the body is read as bytes through a cap at the declared length,
 * the HMAC covers those raw bytes, and only then is it decoded and parsed. Bodies that must not be read
 * are streams that count every chunk pulled from them, sent in-process (app.request) so nothing in
 * between buffers them; the rest go through the worker's fetch handler. Payloads are real GitHub bodies
 * (tests/fixtures/github, from @octokit/webhooks-examples), re-signed with the test secret.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createApp } from "../../../worker/app";
import { MAX_BODY } from "../../../worker/ingestion/webhook";
import pingPayload from "../../fixtures/github/ping.json";
import pushPayload from "../../fixtures/github/push.json";
import publicized from "../../fixtures/github/repository-publicized.json";
import installationCreated from "../../fixtures/github/installation-created.json";
import prOpened from "../../fixtures/github/pull_request-opened.json";
import renamed from "../../fixtures/github/repository-renamed.json";
import { BASE } from "../helpers";
import { getDeliveryStatus, newDeliveryId, SECRET } from "../ingestion/github-helpers";

const utf8 = (text: string) => new TextEncoder().encode(text);
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};

/** `sha256=<hex>` over the exact bytes, as GitHub signs a delivery. */
async function signBytes(bytes: Uint8Array, secret = SECRET): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function headers(event: string, signature: string | null, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": newDeliveryId(),
    ...(signature ? { "x-hub-signature-256": signature } : {}),
    ...extra,
  };
}

/** Through the worker's fetch handler; the runtime sets Content-Length from the bytes. */
async function post(event: string, bytes: Uint8Array, signature: string | null) {
  const h = headers(event, signature);
  const res = await SELF.fetch(`${BASE}/api/github/webhook`, { method: "POST", headers: h, body: bytes });
  return { status: res.status, body: (await res.json()) as any, delivery: h["x-github-delivery"] };
}

/** A body that counts what is pulled from it: `total` bytes in 64 KiB chunks, produced only when read. */
function countingBody(total: number) {
  const seen = { pulls: 0, bytes: 0 };
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        seen.pulls++;
        if (seen.bytes >= total) return controller.close();
        const next = chunk.subarray(0, Math.min(chunk.length, total - seen.bytes));
        seen.bytes += next.length;
        controller.enqueue(next);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

/** In-process, so the request's stream and headers reach the handler exactly as built. */
async function postStream(h: Record<string, string>, stream: ReadableStream<Uint8Array>) {
  const req = new Request(`${BASE}/api/github/webhook`, { method: "POST", headers: h, body: stream });
  const res = await createApp().request(req, undefined, env);
  return { status: res.status, body: (await res.json()) as any };
}

const validSignature = `sha256=${"ab".repeat(32)}`;

describe("checks before reading", () => {
  it("answers an event the catalog does not use without reading, verifying or recording it", async () => {
    const { stream, seen } = countingBody(1024 * 1024);
    const h = headers("star", null, { "content-length": String(1024 * 1024) });
    const { status, body } = await postStream(h, stream);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "unsupported", message: "event star is not used by the catalog" });
    expect(seen.pulls).toBe(0);
    expect(await getDeliveryStatus(h["x-github-delivery"])).toBeNull();
  });

  it("refuses a missing or malformed signature header (401) without reading", async () => {
    for (const signature of [null, "sha1=abc", "sha256=zz", `sha256=${"a".repeat(63)}`, `xsha256=${"a".repeat(64)}`, `sha256=${"a".repeat(65)}`]) {
      const { stream, seen } = countingBody(4096);
      const { status, body } = await postStream(headers("push", signature, { "content-length": "4096" }), stream);
      expect({ signature, status, name: body.error.name }).toEqual({ signature, status: 401, name: "AuthenticationError" });
      expect(seen.pulls).toBe(0);
    }
  });

  it("refuses a body without Content-Length (411) without reading it, however long it is", async () => {
    const { stream, seen } = countingBody(MAX_BODY + 1);
    const { status, body } = await postStream(headers("push", validSignature), stream);
    expect(status).toBe(411);
    expect(body).toMatchObject({
      error: { name: "LengthRequiredError", message: "Webhook requests must carry a Content-Length header" },
      request: { method: "POST", url: "/api/github/webhook" },
      response: { statusCode: 411 },
    });
    expect(seen.pulls).toBe(0);
  });

  it("refuses a declared length over the cap (413, Backstage's error shape) without reading", async () => {
    for (const length of [MAX_BODY + 1, 25 * 1024 * 1024, 26 * 1024 * 1024 + 1]) {
      const { stream, seen } = countingBody(length);
      const { status, body } = await postStream(headers("push", validSignature, { "content-length": String(length) }), stream);
      expect(status).toBe(413);
      expect(body).toMatchObject({ error: { name: "PayloadTooLargeError" }, request: { method: "POST", url: "/api/github/webhook" }, response: { statusCode: 413 } });
      expect(body.error.message).toBe(`Webhook body of ${length} bytes is larger than the 10 MiB this receiver accepts`);
      expect(seen.pulls).toBe(0);
    }
  });

  it("stops reading at the declared length when the body is longer (413)", async () => {
    const { stream, seen } = countingBody(20 * 1024 * 1024);
    const { status, body } = await postStream(headers("push", validSignature, { "content-length": "100" }), stream);
    expect(status).toBe(413);
    expect(body.error).toMatchObject({ name: "PayloadTooLargeError", message: "Webhook body is longer than its Content-Length of 100 bytes" });
    expect(seen.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it("refuses a body shorter than its declared length (400)", async () => {
    const { stream } = countingBody(10);
    const { status, body } = await postStream(headers("push", validSignature, { "content-length": "100" }), stream);
    expect(status).toBe(400);
    expect(body.error.message).toBe("Webhook body ended after 10 of its 100 bytes");
  });
});

describe("the signature covers the raw bytes", () => {
  const ping = utf8(JSON.stringify(pingPayload));

  it("accepts a real delivery signed over its bytes", async () => {
    const { status, body } = await post("ping", ping, await signBytes(ping));
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", message: `pong (hook ${pingPayload.hook_id})` });
  });

  it("refuses correctly signed bytes that are not UTF-8 (400), instead of parsing their replacement text", async () => {
    const text = JSON.stringify({ ...pingPayload, zen: "Anything added dilutes everything else. @" });
    const bytes = utf8(text);
    bytes[text.indexOf("@")] = 0xff;
    const { status, body } = await post("ping", bytes, await signBytes(bytes));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ name: "InputError", message: "Webhook body is not valid UTF-8" });
  });

  it("checks the signature over a leading BOM, then drops the BOM to parse", async () => {
    const withBom = concat(BOM, ping);
    const signed = await post("ping", withBom, await signBytes(withBom));
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe("ok");
    // The same text without the BOM is other bytes: the BOM-covering signature does not fit it, nor the reverse.
    expect((await post("ping", ping, await signBytes(withBom))).status).toBe(401);
    expect((await post("ping", withBom, await signBytes(ping))).status).toBe(401);
  });

  it("refuses bytes that decode to the signed text but are not the signed bytes (401)", async () => {
    const text = JSON.stringify({ ...pingPayload, zen: "Anything added dilutes everything else. \uFFFD" });
    const signedBytes = utf8(text);
    const signature = await signBytes(signedBytes);
    expect((await post("ping", signedBytes, signature)).status).toBe(200);
    // U+FFFD (EF BF BD) swapped for bytes a decoder turns into one U+FFFD: invalid bytes, a lone
    // continuation byte, a lead byte without its continuation, cut-off 3- and 4-byte sequences.
    const at = signedBytes.indexOf(0xef);
    for (const lookalike of [[0xff], [0xfe], [0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98]]) {
      const forged = concat(signedBytes.subarray(0, at), new Uint8Array(lookalike), signedBytes.subarray(at + 3));
      expect(new TextDecoder().decode(forged)).toBe(text);
      const { status, body } = await post("ping", forged, signature);
      expect({ lookalike, status }).toEqual({ lookalike, status: 401 });
      expect(body.error.name).toBe("AuthenticationError");
    }
  });

  it("refuses every mutation of signed bytes (property)", async () => {
    const deliveries = [
      ["ping", pingPayload],
      ["push", pushPayload],
      ["repository", publicized],
      ["repository", renamed],
      ["installation", installationCreated],
      ["pull_request", prOpened],
    ] as const;
    const signed = await Promise.all(
      deliveries.map(async ([event, payload]) => {
        const bytes = utf8(JSON.stringify(payload));
        return { event, bytes, signature: await signBytes(bytes) };
      }),
    );
    type Mutation = (b: Uint8Array) => Uint8Array;
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([i, mask]): Mutation => (b) => {
        const out = b.slice();
        out[i % b.length] ^= mask;
        return out;
      }),
      fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([i, extra]): Mutation => (b) => concat(b.subarray(0, i % (b.length + 1)), extra, b.subarray(i % (b.length + 1)))),
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([i, n]): Mutation => (b) => concat(b.subarray(0, i % b.length), b.subarray((i % b.length) + n))),
      fc.nat().map((n): Mutation => (b) => b.subarray(0, n % b.length)),
      fc.constant<Mutation>((b) => concat(BOM, b)),
      fc.constant<Mutation>((b) => concat(b, utf8("\n"))),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...signed), mutation, async ({ event, bytes, signature }, mutate) => {
        const mutated = mutate(bytes);
        fc.pre(mutated.length !== bytes.length || mutated.some((v, i) => v !== bytes[i]));
        const { status } = await post(event, mutated, signature);
        expect(status).toBe(401);
      }),
      { numRuns: 150 },
    );
  });
});

describe("webhook rate limit", () => {
  it("refuses a flood from one address with 429 before reading a byte, and leaves other senders alone", async () => {
    // WEBHOOK_LIMITER allows thousands a minute, too many to send here: a limiter of 2 per key stands in for
    // it, counting as the binding does, to show what the receiver keys on and when it asks.
    const counts = new Map<string, number>();
    const WEBHOOK_LIMITER = { limit: async ({ key }: { key: string }) => ({ success: (counts.set(key, (counts.get(key) ?? 0) + 1).get(key) ?? 0) <= 2 }) };
    const bytes = utf8(JSON.stringify(pingPayload));
    const signature = await signBytes(bytes);
    const send = async (ip: string) => {
      const seen = { bytes: 0 };
      const stream = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (seen.bytes) return controller.close();
            seen.bytes = bytes.length;
            controller.enqueue(bytes);
          },
        },
        { highWaterMark: 0 },
      );
      const h = headers("ping", signature, { "cf-connecting-ip": ip, "content-length": String(bytes.length) });
      const req = new Request(`${BASE}/api/github/webhook`, { method: "POST", headers: h, body: stream, duplex: "half" } as RequestInit);
      const res = await createApp().request(req, undefined, { ...env, WEBHOOK_LIMITER });
      return { status: res.status, body: (await res.json()) as any, seen };
    };
    expect((await send("203.0.113.9")).status).toBe(200);
    expect((await send("203.0.113.9")).status).toBe(200);
    const limited = await send("203.0.113.9");
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ name: "TooManyRequestsError", message: "Too many webhook deliveries; try again in a minute" });
    expect(limited.seen.bytes).toBe(0);
    expect((await send("203.0.113.10")).status).toBe(200);
    expect([...counts.keys()]).toEqual(["203.0.113.9", "203.0.113.10"]);
  });
});
