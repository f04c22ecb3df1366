/**
 * Test helpers: talk to the worker through its HTTP API, as a client would. Tests run with production
 * defaults, where nothing but health, the webhook and sign-in answers anonymously: a request that names no
 * credential goes as a signed-in member (a session cookie for MEMBER_REF), `postJson` defaults to ADMIN,
 * and `api(path, init, "anonymous")` sends a request with no credential at all.
 */
import { env, SELF } from "cloudflare:test";
import { identityConfig } from "../../worker/identity/config";
import { sessionCookie } from "../../worker/identity/session";

export const BASE = "https://portal.test";
export const ADMIN = { authorization: "Bearer test-admin-token" };
export const MEMBER_REF = "user:default/test-member";

let memberCookie: Promise<string> | undefined;

/** `Cookie` header value of a valid session for MEMBER_REF (a person the catalog knows: a member under the default policy). */
export function memberSession(): Promise<string> {
  memberCookie ??= sessionCookie(identityConfig(env), { type: "user", ref: MEMBER_REF, ownershipRefs: [MEMBER_REF], hasEntity: true, source: "github", login: "test-member" }).then(
    (setCookie) => setCookie.split(";")[0],
  );
  return memberCookie;
}

export type Caller = "default" | "anonymous";

/** `init` with the member session added, unless it names a credential already. */
export async function withDefaultCredential(init: RequestInit = {}): Promise<RequestInit> {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization") && !headers.has("cookie")) headers.set("cookie", await memberSession());
  return { ...init, headers };
}

export async function api(path: string, init: RequestInit = {}, as: Caller = "default"): Promise<Response> {
  return SELF.fetch(`${BASE}${path}`, as === "anonymous" ? init : await withDefaultCredential(init));
}

export async function getJson<T = any>(path: string, as: Caller = "default"): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await api(path, {}, as);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export async function postJson<T = any>(path: string, body: unknown, headers: Record<string, string> = ADMIN, as: Caller = "default"): Promise<{ status: number; body: T }> {
  const res = await api(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }, as);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export interface IngestFile {
  target: string;
  content: string;
}

/** Pushes files as catalog:load does; `root` is the registered location's target. */
export async function ingest(root: string, files: IngestFile[] | Record<string, string>, opts: { roots?: string[]; complete?: boolean } = {}) {
  const list = Array.isArray(files) ? files : Object.entries(files).map(([target, content]) => ({ target, content }));
  const res = await postJson("/api/catalog/ingest", {
    location: { type: "file", target: root },
    files: list,
    roots: opts.roots ?? list.map((f) => f.target),
    complete: opts.complete ?? true,
  });
  if (res.status !== 200) throw new Error(`ingest failed ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as {
    location: { id: string; type: string; target: string; entityRef: string };
    files: { location: string; added: string[]; updated: string[]; removed: string[]; unchanged: string[]; rejected: { entityRef: string | null; docIndex: number | null; field: string | null; line: number | null; name: string; message: string }[] }[];
    summary: Record<"added" | "updated" | "removed" | "unchanged" | "rejected", number>;
  };
}

/** A unique prefix per test so tests sharing a file's D1 never collide. */
let n = 0;
export function uniq(label: string): string {
  n += 1;
  return `${label}-${n}-${Math.random().toString(36).slice(2, 7)}`;
}

export function component(name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: "backstage.io/v1alpha1",
    kind: "Component",
    metadata: { name, ...meta },
    spec: { type: "service", lifecycle: "production", owner: "team-a", ...spec },
  });
}

export function yamlDocs(...docs: (string | object)[]): string {
  return docs.map((d) => (typeof d === "string" ? d : JSON.stringify(d))).join("\n---\n");
}
