/** The scaffolder's task API (`/api/scaffolder/v2`, Backstage's shapes): create, read, list, cancel, stream. */
import { catalogFilterQuery, catalogRefError, type CatalogRefCheck, type FieldError } from "../../../contract/template-params";
import type { ByRefsResponse } from "../../../contract/catalog-api";
import type { ScaffolderTask } from "../lib/scaffolder/task-events";
import { withQuery } from "./params";
import { request } from "./request";

export const SCAFFOLDER_API = "/api/scaffolder/v2";

export interface CreateTaskBody {
  templateRef: string;
  values: Record<string, unknown>;
  /** Secret field values: sent here only, never inside `values`. */
  secrets?: Record<string, string>;
}

export function createTask(body: CreateTaskBody): Promise<{ id: string }> {
  return request<{ id: string }>(`${SCAFFOLDER_API}/tasks`, { method: "POST", body });
}

export function getTask(id: string, signal?: AbortSignal): Promise<ScaffolderTask> {
  return request<ScaffolderTask>(`${SCAFFOLDER_API}/tasks/${encodeURIComponent(id)}`, { signal });
}

export function listTasks(createdBy: string | undefined, signal?: AbortSignal): Promise<{ tasks: ScaffolderTask[]; totalTasks?: number }> {
  return request(withQuery(`${SCAFFOLDER_API}/tasks`, { createdBy }), { signal });
}

export function cancelTask(id: string): Promise<unknown> {
  return request(`${SCAFFOLDER_API}/tasks/${encodeURIComponent(id)}/cancel`, { method: "POST", body: {} });
}

export function eventStreamPath(id: string, after?: number | string): string {
  return withQuery(`${SCAFFOLDER_API}/tasks/${encodeURIComponent(id)}/eventstream`, { after: after === undefined || after === "" ? undefined : String(after) });
}

/**
 * The catalog half of validation (contract/template-params catalogRefChecks): the pickers' refs looked up
 * through by-refs with each picker's catalogFilter, as POST /tasks does in the worker; an error per miss.
 */
export async function catalogRefErrors(checks: readonly CatalogRefCheck[], signal?: AbortSignal): Promise<FieldError[]> {
  const groups = new Map<string, CatalogRefCheck[]>();
  for (const c of checks) {
    const key = JSON.stringify(catalogFilterQuery(c.filters));
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const errors: FieldError[] = [];
  for (const [key, group] of groups) {
    const res = await request<ByRefsResponse<{ kind: string }>>(withQuery("/api/catalog/entities/by-refs", { filter: JSON.parse(key) as string[] }), {
      body: { entityRefs: group.map((c) => c.ref), fields: ["kind"] },
      signal,
    });
    group.forEach((c, i) => {
      if (!res.items[i]) errors.push(catalogRefError(c));
    });
  }
  return errors;
}
