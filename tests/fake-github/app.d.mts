/** Types for app.mjs (the fake GitHub REST API). */
import type { FakeModel, FakeRepo } from "./model.mjs";
import type { FakeOAuth } from "./oauth.mjs";

/** `status:<code>` answers exactly that status. */
export type FaultKind = "500" | "timeout" | "rate-limit" | "truncate" | "forbidden" | `status:${number}`;
export interface FaultOptions {
  rate: number;
  kinds?: FaultKind[];
  seed?: number;
  maxPerKey?: number;
  match?: (path: string) => boolean;
}
export interface FakeGithubOptions {
  token?: string;
  app?: { id: string | number; publicKeyJwk: JsonWebKey };
  basePath?: string;
  webUrl?: string;
  tokenTtlMs?: number;
  faults?: FaultOptions | null;
  now?: () => number;
  firstRepoId?: number;
  treeLimit?: number;
  oauth?: { clientId?: string; clientSecret?: string };
  /** The account POST /user/repos creates under (default octocat). */
  userLogin?: string;
  /** tests/fixtures/github/push.json: the body push webhooks are made from. */
  pushTemplate?: any;
  webhooks?: FakeWebhooks | null;
}
export interface FakeWebhooks {
  url: string;
  secret: string;
  fetch?: (req: Request) => Promise<Response>;
}
export interface FakeDelivery {
  id: string;
  event: string;
  repo: string;
  branch: string;
  after: string;
  status: number;
  error?: string;
}
export interface FakeGithub {
  fetch(request: Request): Promise<Response>;
  model: FakeModel;
  oauth: FakeOAuth;
  webUrl: string;
  requests: { method: string; path: string; status: number; fault?: string }[];
  checkRuns: { repo: string; body: any }[];
  statuses: { repo: string; sha: string; body: any }[];
  readonly tokensIssued: number;
  setFaults(faults: FaultOptions | null): void;
  deliveries: FakeDelivery[];
  setWebhooks(webhooks: FakeWebhooks | null): void;
  repoJson(r: FakeRepo): Record<string, unknown>;
}
export function createFakeGithub(options?: FakeGithubOptions): FakeGithub;
