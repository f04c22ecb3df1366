/** Types for payloads.mjs (webhook bodies made from real GitHub payloads). */
import type { FakePull, FakePush, FakeRepo } from "./model.mjs";

export function pushPayload(
  template: any,
  push: {
    repo: FakeRepo;
    branch?: string;
    before?: string | null;
    after?: string | null;
    commits?: FakePush[];
    forced?: boolean;
    deleted?: boolean;
    tag?: string;
    keepCommits?: number;
    pusher?: string;
    webUrl?: string;
  },
): any;
export function repositoryPayload(template: any, action: string, r: FakeRepo, changes?: unknown, webUrl?: string): any;
export function installationPayload(template: any, action: string, installationId: number, repos: FakeRepo[]): any;
export function installationRepositoriesPayload(template: any, action: string, installationId: number, lists: { added?: FakeRepo[]; removed?: FakeRepo[] }): any;
export function pullRequestPayload(template: any, action: string, r: FakeRepo, pull: FakePull, webUrl?: string): any;
