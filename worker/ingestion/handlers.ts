/**
 * GitHub ingestion's side of the JOBS consumer: the handler per job type, delivery bookkeeping, and the
 * hook that makes a catalog refresh of a GitHub repo's location re-index the repo through GitHub.
 */
import type { GithubJob } from "./jobs";
import { handlePush } from "./push";
import { handleInstallation, handleRepositoryEvent } from "./repository";
import { handleImport, handleSync } from "./backfill";
import { handleSweep } from "./sweep";
import { handlePullRequest, handleReport } from "./checks";
import { getDelivery, settleDelivery, type DeliveryStatus } from "./store/deliveries";
import { findRepoStateByOrigin } from "./store/repos";
import { orgHandlers } from "../identity/org/handlers";

/** A handler may return a one-line summary; for a webhook's job it becomes the delivery's detail. */
type Handler<T extends GithubJob["type"]> = (message: Extract<GithubJob, { type: T }>, env: Env) => Promise<string | void>;

export const githubHandlers: { [T in GithubJob["type"]]: Handler<T> } = {
  "github-push": (m, env) => handlePush(env, m),
  "github-repo": (m, env) => handleRepositoryEvent(env, m),
  "github-installation": (m, env) => handleInstallation(env, m),
  "github-sync": (m, env) => handleSync(env, m),
  "github-import": (m, env) => handleImport(env, m),
  "github-sweep": (m, env) => handleSweep(env, m),
  "github-pr-check": (m, env) => handlePullRequest(env, m),
  "github-report": (m, env) => handleReport(env, m),
  ...orgHandlers,
};

/** POST /api/catalog/refresh on an entity from GitHub: re-read every file of its repo at the branch head. */
export async function refreshGithubLocation(env: Env, locationKey: string): Promise<boolean> {
  const repo = await findRepoStateByOrigin(env.DB, locationKey);
  if (!repo) return false;
  await handleSync(env, { type: "github-sync", repo: { id: repo.id, owner: repo.owner, name: repo.name, installationId: repo.installationId }, force: true, reason: "refresh" });
  return true;
}

/** True when the job's webhook delivery already completed: the queue delivers at least once. */
export async function deliveryDone(db: D1Database, deliveryId: string | undefined): Promise<boolean> {
  return deliveryId ? (await getDelivery(db, deliveryId))?.status === "done" : false;
}

export async function settleJobDelivery(db: D1Database, deliveryId: string | undefined, status: DeliveryStatus, detail: string | null, attempts: number): Promise<void> {
  if (deliveryId) await settleDelivery(db, deliveryId, status, detail, attempts);
}
