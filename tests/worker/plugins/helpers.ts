/** Calls an app built with createApp([...plugins]) as a client would, with the test env plus extra vars. */
import { createExecutionContext, env } from "cloudflare:test";
import type { createApp } from "../../../worker/app";
import { ADMIN, memberSession } from "../helpers";

export { ADMIN, memberSession };

type App = ReturnType<typeof createApp>;

export function requester(app: App, extraEnv: Record<string, unknown> = {}) {
  return async (path: string, init: RequestInit = {}, moreEnv: Record<string, unknown> = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization") && !headers.has("cookie") && !headers.has("x-anonymous")) headers.set("authorization", ADMIN.authorization);
    headers.delete("x-anonymous");
    return app.request(`https://portal.test${path}`, { ...init, headers }, { ...env, ...extraEnv, ...moreEnv }, createExecutionContext());
  };
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
