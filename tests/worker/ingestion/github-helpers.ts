/**
 * GitHub ingestion test helpers: a fake GitHub answering every fetch to GITHUB_API_URL inside workerd
 * (tests/fake-github/app.mjs behind a global fetch stub), signed webhook deliveries made from real GitHub
 * payloads (tests/fixtures/github/*.json, from @octokit/webhooks-examples), and waits on delivery status.
 */
import { env, SELF } from "cloudflare:test";
import { vi } from "vitest";
import { sign } from "@octokit/webhooks-methods";
import { createFakeGithub, type FakeGithub, type FakeGithubOptions } from "../../fake-github/app.mjs";
import type { FakePush, FakeRepo } from "../../fake-github/model.mjs";
import { pushPayload } from "../../fake-github/payloads.mjs";
import pushTemplate from "../../fixtures/github/push.json";
import { ADMIN, BASE, getJson } from "../helpers";

export const SECRET = "test-secret";
export const apiBase = (): string => (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");

/** A body whose stream breaks halfway, as a connection cut mid-answer. */
function cutShort(text: string, init: ResponseInit): Response {
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
      controller.error(new Error("connection reset by peer"));
    },
  });
  return new Response(stream, init);
}

/**
 * Installs a fake GitHub for this test file: every fetch under GITHUB_API_URL goes to it, anything else to
 * the real fetch. Fault markers become what they stand for: a timeout rejects like AbortSignal.timeout,
 * a truncated answer's body errors halfway.
 */
export function installFakeGithub(options: FakeGithubOptions = {}): FakeGithub {
  const base = apiBase();
  const fake = createFakeGithub({ basePath: new URL(base).pathname, ...options });
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    if (!req.url.startsWith(`${base}/`)) return realFetch(input, init);
    const res = await fake.fetch(req);
    const fault = res.headers.get("x-fake-fault");
    if (fault === "timeout") throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    if (fault === "truncate") return cutShort(await res.text(), { status: res.status, headers: res.headers });
    return res;
  });
  return fake;
}

/**
 * Waits until the fake GitHub has seen no request for a while: jobs queued at the end of a test (reports,
 * continuations) finish before the file's isolate goes away instead of dying mid-request.
 */
export async function quiesce(fake: FakeGithub, quietMs = 200, maxMs = 5000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let seen = -1;
  while (Date.now() < deadline && seen !== fake.requests.length) {
    seen = fake.requests.length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
}

let deliveries = 0;
export const newDeliveryId = () => `d-${Date.now().toString(36)}-${++deliveries}-${Math.random().toString(36).slice(2, 8)}`;

export interface Delivered {
  res: Response;
  id: string;
  body: any;
}

/** POSTs a webhook signed with the test secret, as GitHub would. */
export async function deliver(
  event: string,
  payload: unknown,
  opts: { id?: string; secret?: string; signature?: string | null; body?: string; contentType?: string } = {},
): Promise<Delivered> {
  const id = opts.id ?? newDeliveryId();
  const body = opts.body ?? JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": opts.contentType ?? "application/json",
    "user-agent": "GitHub-Hookshot/test",
    "x-github-event": event,
    "x-github-delivery": id,
  };
  const signature = opts.signature === undefined ? await sign(opts.secret ?? SECRET, body) : opts.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const res = await SELF.fetch(`${BASE}/api/github/webhook`, { method: "POST", headers, body });
  const text = await res.text();
  return { res, id, body: text ? JSON.parse(text) : undefined };
}

export async function getDeliveryStatus(id: string): Promise<{ status: string; detail: string | null; attempts: number } | null> {
  const res = await SELF.fetch(`${BASE}/api/github/deliveries/${id}`, { headers: ADMIN });
  if (res.status === 404) return null;
  return ((await res.json()) as { delivery: { status: string; detail: string | null; attempts: number } }).delivery;
}

/** Waits until the delivery's job settled (done or dead) and returns its final status. */
export async function settled(id: string, timeout = 15_000): Promise<{ status: string; detail: string | null; attempts: number }> {
  return vi.waitUntil(
    async () => {
      const d = await getDeliveryStatus(id);
      return d && ["done", "dead", "ignored"].includes(d.status) ? d : false;
    },
    { timeout, interval: 20 },
  );
}

/** Commits on the fake and delivers the push webhook for it; resolves once the push was processed. */
export async function push(fake: FakeGithub, repo: FakeRepo, files: Record<string, string | null>, opts: { pusher?: string; time?: number } = {}) {
  const result = await fake.model.commit(`${repo.owner}/${repo.name}`, { files, time: opts.time });
  const delivered = await deliver("push", pushPayload(pushTemplate, { repo, commits: [result], pusher: opts.pusher, webUrl: fake.webUrl }));
  const status = await settled(delivered.id);
  return { result, delivered, status };
}

export function pushBody(repo: FakeRepo, commits: FakePush[], extra: Parameters<typeof pushPayload>[1] extends infer P ? Partial<P> : never = {}) {
  return pushPayload(pushTemplate, { repo, commits, ...extra });
}

export async function entity(kind: string, name: string, namespace = "default") {
  return getJson(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`);
}

let repos = 0;
/** A repo with a unique name on the fake, holding `files` in its first commit. */
export async function createRepo(fake: FakeGithub, files: Record<string, string>, opts: { owner?: string; defaultBranch?: string; installationId?: number } = {}) {
  repos += 1;
  return fake.model.createRepo({ owner: opts.owner ?? "acme", name: `svc-${repos}-${Math.random().toString(36).slice(2, 6)}`, files, ...opts });
}

export function yamlComponent(name: string, extra: Record<string, unknown> = {}): string {
  return [
    "apiVersion: backstage.io/v1alpha1",
    "kind: Component",
    "metadata:",
    `  name: ${name}`,
    ...Object.entries(extra).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`),
    "spec:",
    "  type: service",
    "  lifecycle: production",
    "  owner: team-a",
    "",
  ].join("\n");
}
