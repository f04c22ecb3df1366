/**
 * /api/jobs — the queue's dead letters: GET /dead-letters (?pending=true for those not replayed yet) and
 * POST /dead-letters/:id/replay, which queues the message again as it was.
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../env";
import { authorize } from "../access";
import { ApiError } from "../errors";
import { validQuery } from "../http";
import { firstParam, intParam } from "../catalog/query";
import { enqueue } from "./enqueue";
import type { JobMessage } from "./types";
import { getDeadLetter, listDeadLetters, markReplayed } from "./dead-letters";

const deadLettersQuery = v.object({ limit: intParam("limit", { min: 1, max: 500 }), pending: v.optional(firstParam("pending")) });

export const jobRoutes = new Hono<AppEnv>()
  .get("/dead-letters", authorize("jobs.admin"), validQuery(deadLettersQuery), async (c) => {
    const { limit, pending } = c.req.valid("query");
    return c.json({ items: await listDeadLetters(c.env.DB, { pending: pending === "true", limit: limit ?? 50 }) });
  })

  .post("/dead-letters/:id/replay", authorize("jobs.admin"), async (c) => {
    const id = Number(c.req.param("id"));
    const letter = Number.isInteger(id) ? await getDeadLetter(c.env.DB, id) : null;
    if (!letter) throw new ApiError("NotFoundError", `No dead letter with id ${c.req.param("id")}`);
    await enqueue(c.env, letter.body as JobMessage);
    await markReplayed(c.env.DB, id);
    return c.json({ status: "accepted", deadLetter: { ...letter, replayedAt: new Date().toISOString() } }, 202);
  });
