/// <reference types="vite/client" />
/**
 * Scaffolder test helpers: the fake GitHub (with push webhooks delivered to the worker, as a repository
 * hook would), a templates repository on it holding the fixture templates, Template entities registered
 * with their source location there, and task runs through the HTTP API.
 */
import { SELF } from "cloudflare:test";
import { vi } from "vitest";
import { load } from "js-yaml";
import type { FakeGithub } from "../../fake-github/app.mjs";
import pushTemplate from "../../fixtures/github/push.json";
import { ADMIN, BASE, getJson, ingest, postJson, uniq } from "../helpers";
import { installFakeGithub, SECRET } from "../ingestion/github-helpers";

/** Every fixture file under tests/fixtures/scaffolder, by path below that folder. */
const RAW = import.meta.glob("../../fixtures/scaffolder/**/*", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
export const FIXTURES: Record<string, string> = Object.fromEntries(Object.entries(RAW).map(([k, v]) => [k.replace("../../fixtures/scaffolder/", ""), v]));

/** The files of one fixture template folder, by path relative to it. */
export function fixtureFiles(dir: string): Record<string, string> {
  const prefix = `${dir}/`;
  return Object.fromEntries(Object.entries(FIXTURES).filter(([p]) => p.startsWith(prefix)).map(([p, v]) => [p.slice(prefix.length), v]));
}

export function installScaffolderGithub(): FakeGithub {
  return installFakeGithub({ pushTemplate, webhooks: { url: `${BASE}/api/github/webhook`, secret: SECRET, fetch: (req) => SELF.fetch(req) } });
}

/** A templates repository on the fake holding `files` (path → content), e.g. `{ "docs/template.yaml": ..., "docs/skeleton/x": ... }`. */
export async function templatesRepo(fake: FakeGithub, files: Record<string, string>, owner = "acme"): Promise<{ owner: string; name: string }> {
  const name = uniq("templates");
  await fake.model.createRepo({ owner, name, files });
  return { owner, name };
}

/**
 * Registers a Template entity (YAML text or an object) in the catalog with its source location in
 * `repo`/`dir`, so `url: ./skeleton` resolves there; returns its ref. `name` renames it uniquely.
 */
export async function registerTemplate(template: string | Record<string, any>, opts: { repo?: { owner: string; name: string }; dir?: string; name?: string; annotations?: Record<string, string> } = {}): Promise<string> {
  const entity = (typeof template === "string" ? load(template) : structuredClone(template)) as Record<string, any>;
  const name = opts.name ?? uniq(entity.metadata.name);
  entity.metadata = { ...entity.metadata, name, annotations: { ...(entity.metadata.annotations ?? {}), ...(opts.annotations ?? {}) } };
  if (opts.repo) {
    entity.metadata.annotations["backstage.io/source-location"] = `url:https://github.com/${opts.repo.owner}/${opts.repo.name}/tree/main/${opts.dir ? `${opts.dir}/` : ""}`;
  }
  const res = await ingest(`/templates/${name}.yaml`, { [`/templates/${name}.yaml`]: JSON.stringify(entity) });
  if (res.summary.rejected) throw new Error(`template ${name} rejected: ${JSON.stringify(res.files[0].rejected)}`);
  return `template:default/${name}`;
}

export async function createTask(templateRef: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}, headers: Record<string, string> = ADMIN) {
  return postJson("/api/scaffolder/v2/tasks", { templateRef, values, ...extra }, headers);
}

export type TaskBody = {
  id: string;
  status: string;
  spec: any;
  output?: any;
  error?: { message: string };
  steps: { id: string; status: string; output: any; error: string | null }[];
};

/** Waits for a task to end and returns it. */
export async function settledTask(id: string, timeout = 20_000): Promise<TaskBody> {
  return vi.waitUntil(
    async () => {
      const { body } = await getJson<TaskBody>(`/api/scaffolder/v2/tasks/${id}`);
      return ["completed", "failed", "cancelled"].includes(body.status) ? body : false;
    },
    { timeout, interval: 30 },
  );
}

export async function runTemplate(templateRef: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<TaskBody> {
  const res = await createTask(templateRef, values, extra);
  if (res.status !== 201) throw new Error(`POST /tasks answered ${res.status}: ${JSON.stringify(res.body)}`);
  return settledTask(res.body.id);
}

export async function eventsOf(id: string): Promise<{ id: number; type: string; body: any }[]> {
  return (await getJson(`/api/scaffolder/v2/tasks/${id}/events`)).body;
}

/** The files of a repository's default branch on the fake, as text. */
export function repoFiles(fake: FakeGithub, owner: string, name: string): Record<string, string> {
  const r = fake.model.findRepo(owner, name)!;
  const c = fake.model.commits.get(r.branches.get(r.defaultBranch)!)!;
  const out: Record<string, string> = {};
  for (const [p, sha] of c.files) {
    const v = fake.model.blobs.get(sha)!;
    out[p] = typeof v === "string" ? v : new TextDecoder().decode(v);
  }
  return out;
}
