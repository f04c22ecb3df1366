/**
 * Refuses to run with an unsafe configuration (config.ts lists the problems: the development guest outside
 * development, an example secret, a malformed policy): every API request answers 503 naming the problem,
 * and the problem is logged once per isolate. Failing closed and loudly beats serving an open portal.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { identityConfig } from "./config";

const logged = new Set<string>();

export function refuseUnsafeConfig() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { problems } = identityConfig(c.env);
    if (problems.length) {
      const message = `Edgestage refuses to run with this configuration: ${problems.join("; ")}`;
      if (!logged.has(message)) {
        logged.add(message);
        console.error(message);
      }
      throw new ApiError("ServiceUnavailableError", message);
    }
    await next();
  });
}
