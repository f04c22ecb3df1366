/**
 * /api/github — the webhook receiver plus ingestion's admin endpoints:
 * GET /repos (indexed repos and their last indexed commit), POST /imports (backfill an org or owner/repo),
 * GET /imports and /imports/:id (progress, for the CLI and the portal), GET /deliveries and
 * /deliveries/:id (what each webhook delivery did), POST /sweep (run the reconciliation sweep now).
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../env";
import { authorize } from "../access";
import { ApiError } from "../errors";
import { limitBody, validJson, validQuery } from "../http";
import { enqueue } from "../jobs/enqueue";
import { firstParam, intParam, parsedBy } from "../catalog/query";
import { webhookRoutes } from "./webhook";
import { getDelivery, listDeliveries } from "./store/deliveries";
import { createImport, getImport, listImports } from "./store/imports";
import { listRepos } from "./store/repos";
import { startOrgImport } from "../identity/org/import";

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/** `org`, `user` or `owner/repo`, spelled as GitHub allows. */
export function parseImportTarget(target: string): { owner: string; name?: string } {
  const [owner, name, ...rest] = target.trim().split("/");
  if (!OWNER.test(owner ?? "") || rest.length || (name !== undefined && !REPO.test(name))) {
    throw new ApiError("InputError", `Invalid target '${target}': expected an organization or user name, or owner/repo`);
  }
  return name === undefined ? { owner } : { owner, name };
}

const limitQuery = (max: number) => v.object({ limit: intParam("limit", { min: 1, max }) });
const DELIVERY_STATUSES = ["queued", "done", "ignored", "failed", "dead"] as const;

const importBody = v.object({
  target: v.pipe(
    v.string("Invalid body: 'target' must be a non-empty string"),
    v.check((s) => s.trim().length > 0, "Invalid body: 'target' must be a non-empty string"),
    parsedBy(parseImportTarget),
  ),
  /** Read the org's teams and people (Group and User entities) instead of its repositories. */
  orgData: v.optional(v.boolean("Invalid body: 'orgData' must be a boolean")),
});

const deliveriesQuery = v.object({
  limit: intParam("limit", { min: 1, max: 500 }),
  status: v.optional(v.pipe(firstParam("status"), v.transform((s) => s || undefined), v.optional(v.picklist(DELIVERY_STATUSES, "Invalid status: expected queued, done, ignored, failed or dead")))),
});

export const githubRoutes = new Hono<AppEnv>()
  .route("/", webhookRoutes)

  .get("/repos", authorize("github.read"), validQuery(limitQuery(1000)), async (c) => {
    return c.json({ items: await listRepos(c.env.DB, c.req.valid("query").limit ?? 200) });
  })

  .post("/imports", authorize("github.admin"), limitBody(16 * 1024), validJson(importBody), async (c) => {
    const { target, orgData } = c.req.valid("json");
    if (orgData) return c.json({ import: await startOrgImport(c.env, target.name ? `${target.owner}/${target.name}` : target.owner) }, 202);
    const progress = await createImport(c.env.DB, target.name ? `${target.owner}/${target.name}` : target.owner);
    await enqueue(c.env, { type: "github-import", importId: progress.id, ...target });
    return c.json({ import: progress }, 202);
  })

  .get("/imports", authorize("github.read"), validQuery(limitQuery(100)), async (c) => {
    return c.json({ items: await listImports(c.env.DB, c.req.valid("query").limit ?? 20) });
  })

  .get("/imports/:id", authorize("github.read"), async (c) => {
    const progress = await getImport(c.env.DB, c.req.param("id"));
    if (!progress) throw new ApiError("NotFoundError", `No import with id ${c.req.param("id")}`);
    return c.json({ import: progress });
  })

  .get("/deliveries", authorize("github.admin"), validQuery(deliveriesQuery), async (c) => {
    const { status, limit } = c.req.valid("query");
    return c.json({ items: await listDeliveries(c.env.DB, { status, limit: limit ?? 50 }) });
  })

  .get("/deliveries/:id", authorize("github.admin"), async (c) => {
    const delivery = await getDelivery(c.env.DB, c.req.param("id"));
    if (!delivery) throw new ApiError("NotFoundError", `No delivery with id ${c.req.param("id")}`);
    return c.json({ delivery });
  })

  .post("/sweep", authorize("github.admin"), async (c) => {
    await enqueue(c.env, { type: "github-sweep" });
    return c.json({ status: "accepted" }, 202);
  });
