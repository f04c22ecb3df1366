/**
 * The audit log's write side: who (the principal), what (an action name), when, from where (client
 * address and user agent). Written through waitUntil, so the answer does not wait for it.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { actorOf, type Principal } from "./principal";
import { appendAudit, type AuditEvent } from "./store";
import { clientAddress } from "./rate-limit";
import { afterResponse } from "./response";

export function audit(c: Context<AppEnv>, principal: Principal, event: Omit<AuditEvent, "actor" | "ip" | "userAgent" | "method" | "path"> & { actor?: string }): void {
  const url = new URL(c.req.url);
  afterResponse(c, `audit ${event.action}`, appendAudit(c.env.DB, {
    actor: event.actor ?? actorOf(principal),
    method: c.req.method,
    path: url.pathname,
    ip: clientAddress(c),
    userAgent: c.req.header("user-agent") ?? null,
    ...event,
  }));
}
