/**
 * Rate limits through the Workers Rate Limiting binding (wrangler.toml [[ratelimits]]): sign-in attempts
 * per client address (AUTH_LIMITER), writes per caller (WRITE_LIMITER), webhook deliveries per sending
 * address (WEBHOOK_LIMITER). The binding counts per location
 * and is eventually consistent: a brake on abuse, not an exact quota. A deployment without the binding is
 * not limited.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

export const clientAddress = (c: Context): string => c.req.header("cf-connecting-ip") ?? "unknown";

export async function enforceLimit(c: Context<AppEnv>, limiter: "AUTH_LIMITER" | "WRITE_LIMITER" | "WEBHOOK_LIMITER", key: string, what: string): Promise<void> {
  const binding = (c.env as Partial<Pick<Env, typeof limiter>>)[limiter];
  if (!binding) return;
  const { success } = await binding.limit({ key });
  if (!success) {
    c.header("retry-after", "60");
    throw new ApiError("TooManyRequestsError", `Too many ${what}; try again in a minute`);
  }
}
