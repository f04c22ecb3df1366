/**
 * Organization data test helpers: the fake GitHub's orgs (tests/fake-github/org.mjs), their webhooks made
 * from the real bodies in tests/fixtures/github and delivered signed, org-data imports through the HTTP
 * API, and a read of every Group and User an org's import wrote.
 */
import { vi } from "vitest";
import type { FakeOrgEvent } from "../../fake-github/org.mjs";
import { orgWebhookBody } from "../../fake-github/org.mjs";
import memberAdded from "../../fixtures/github/member-added.json";
import membershipAdded from "../../fixtures/github/membership-added.json";
import membershipRemoved from "../../fixtures/github/membership-removed.json";
import organizationMemberAdded from "../../fixtures/github/organization-member_added.json";
import organizationRenamed from "../../fixtures/github/organization-renamed.json";
import teamCreated from "../../fixtures/github/team-created.json";
import teamDeleted from "../../fixtures/github/team-deleted.json";
import teamEdited from "../../fixtures/github/team-edited.json";
import { getJson, postJson } from "../helpers";
import { deliver, settled } from "../ingestion/github-helpers";

export const TEMPLATES: Record<string, unknown> = {
  "member-added": memberAdded,
  "membership-added": membershipAdded,
  "membership-removed": membershipRemoved,
  "organization-member_added": organizationMemberAdded,
  "organization-renamed": organizationRenamed,
  "team-created": teamCreated,
  "team-deleted": teamDeleted,
  "team-edited": teamEdited,
};

/** Delivers the webhooks of fake org changes, in order, without waiting; returns their delivery ids. */
export async function send(events: FakeOrgEvent[]): Promise<string[]> {
  const ids: string[] = [];
  for (const ev of events) {
    const { res, id } = await deliver(ev.event, orgWebhookBody(TEMPLATES, ev));
    if (res.status !== 202) throw new Error(`webhook ${ev.event} ${ev.body.action} answered ${res.status}`);
    ids.push(id);
  }
  return ids;
}

/** Delivers and waits until every job settled; returns the deliveries' final states. */
export async function sendAndSettle(events: FakeOrgEvent[]) {
  const ids = await send(events);
  const out = [];
  for (const id of ids) out.push(await settled(id));
  return out;
}

/** POST /api/github/imports with orgData, waited on until it is no longer running. */
export async function importOrgData(org: string, timeout = 30_000) {
  const started = await postJson("/api/github/imports", { target: org, orgData: true });
  if (started.status !== 202) throw new Error(`org import refused ${started.status}: ${JSON.stringify(started.body)}`);
  const id = started.body.import.id;
  return vi.waitUntil(
    async () => {
      const { body } = await getJson(`/api/github/imports/${id}`);
      return body.import.status !== "running" ? body.import : false;
    },
    { timeout, interval: 25 },
  );
}

/** Every Group and User from GitHub org data whose name starts with `prefix`, by ref. */
export async function orgEntities(prefix: string): Promise<Map<string, any>> {
  const { body } = await getJson(
    `/api/catalog/entities?filter=${encodeURIComponent("kind=group,metadata.annotations.github.com/team-slug")}&filter=${encodeURIComponent("kind=user,metadata.annotations.github.com/user-login")}`,
  );
  const out = new Map<string, any>();
  for (const e of body as any[]) if (e.metadata.name.startsWith(prefix)) out.set(`${e.kind.toLowerCase()}:default/${e.metadata.name}`.toLowerCase(), e);
  return out;
}

export async function processingErrors(location: string) {
  return (await getJson(`/api/catalog/processing-errors?location=${encodeURIComponent(location)}`)).body.items as { name: string; message: string; entityRef: string | null }[];
}

/** Relations of an entity as `type target` strings, sorted. */
export const relationsOf = (e: { relations: { type: string; targetRef: string }[] }) => e.relations.map((r) => `${r.type} ${r.targetRef}`).sort();

let n = 0;
/** A unique lower-case prefix per org, so tests sharing a file's D1 never collide on entity names. */
export function prefix(): string {
  n += 1;
  return `o${n}${Math.random().toString(36).slice(2, 6)}`;
}
