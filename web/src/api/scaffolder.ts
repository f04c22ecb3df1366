/**
 * The scaffolder's task API (`/api/scaffolder/v2`, Backstage's shapes): create, read, list, cancel, stream.
 * Nothing here imports contract/template-params: the task pages share this module with the template form,
 * and the form's schema code (validator included) should load with the form only (catalog-refs.ts has the
 * form's catalog lookups).
 */
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
