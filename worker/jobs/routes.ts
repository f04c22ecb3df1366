/**
 * /api/jobs — the queue's dead letters: GET /dead-letters (?pending=true for those not replayed yet) and
 * POST /dead-letters/:id/replay, which queues the message again as it was.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { authorize } from "../access";
import { ApiError } from "../errors";
import { parseIntParam } from "../catalog/query";
import { enqueue } from "./enqueue";
import type { JobMessage } from "./types";
import { getDeadLetter, listDeadLetters, markReplayed } from "./dead-letters";

export const jobRoutes = new Hono<AppEnv>()
  .get("/dead-letters", authorize("jobs.admin"), async (c) => {
    const limit = parseIntParam(c.req.query("limit"), "limit", { min: 1, max: 500 }) ?? 50;
    return c.json({ items: await listDeadLetters(c.env.DB, { pending: c.req.query("pending") === "true", limit }) });
  })

  .post("/dead-letters/:id/replay", authorize("jobs.admin"), async (c) => {
    const id = Number(c.req.param("id"));
    const letter = Number.isInteger(id) ? await getDeadLetter(c.env.DB, id) : null;
    if (!letter) throw new ApiError("NotFoundError", `No dead letter with id ${c.req.param("id")}`);
    await enqueue(c.env, letter.body as JobMessage);
    await markReplayed(c.env.DB, id);
    return c.json({ status: "accepted", deadLetter: { ...letter, replayedAt: new Date().toISOString() } }, 202);
  });
