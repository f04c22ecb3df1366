/**
 * A task's working directory: files by normalized relative path. Between a task's steps it is kept in R2
 * (`_scaffolder/<task>/ws-<n>.json`, one object per step, so a step that runs again after a restart reads
 * exactly what it read the first time); a dry run keeps it in memory.
 */
import { ApiError } from "../errors";

const enc = new TextEncoder();
export const MAX_WORKSPACE_FILES = 5000;
export const MAX_WORKSPACE_BYTES = 64 * 1024 * 1024;

/** `a/./b//c` → `a/b/c`; refuses absolute paths and anything that climbs out with `..`. */
export function normalizePath(path: string): string {
  if (typeof path !== "string") throw new ApiError("InputError", "A workspace path must be a string");
  const parts: string[] = [];
  for (const seg of path.replace(/\\/g, "/").split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (!parts.length) throw new ApiError("InputError", `Path ${JSON.stringify(path)} leaves the workspace`);
      parts.pop();
      continue;
    }
    parts.push(seg);
  }
  if (path.startsWith("/") && path !== "/" && !parts.length) throw new ApiError("InputError", `Path ${JSON.stringify(path)} is not a file`);
  return parts.join("/");
}

/** `base` + `rel`, normalized; `rel` may not leave `base`. */
export function joinPath(base: string, rel: string): string {
  const b = normalizePath(base);
  const r = normalizePath(rel);
  return b && r ? `${b}/${r}` : b || r;
}

export class Workspace {
  readonly files = new Map<string, Uint8Array>();
  private bytes = 0;

  write(path: string, content: string | Uint8Array): void {
    const p = normalizePath(path);
    if (!p) throw new ApiError("InputError", "Cannot write the workspace root as a file");
    const data = typeof content === "string" ? enc.encode(content) : content;
    const prev = this.files.get(p);
    this.bytes += data.length - (prev?.length ?? 0);
    if (!prev && this.files.size >= MAX_WORKSPACE_FILES) throw new ApiError("InputError", `The workspace holds at most ${MAX_WORKSPACE_FILES} files`);
    if (this.bytes > MAX_WORKSPACE_BYTES) throw new ApiError("InputError", `The workspace holds at most ${MAX_WORKSPACE_BYTES / 1024 / 1024} MB`);
    this.files.set(p, data);
  }

  read(path: string): Uint8Array | undefined {
    return this.files.get(normalizePath(path));
  }

  /** Paths under `dir` ("" for all), sorted. */
  list(dir = ""): string[] {
    const d = normalizePath(dir);
    const prefix = d ? `${d}/` : "";
    return [...this.files.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  toJson(): string {
    const files: [string, string][] = [];
    for (const [p, data] of this.files) {
      let bin = "";
      for (let i = 0; i < data.length; i += 0x8000) bin += String.fromCharCode(...data.subarray(i, i + 0x8000));
      files.push([p, btoa(bin)]);
    }
    return JSON.stringify({ files });
  }

  static fromJson(text: string): Workspace {
    const ws = new Workspace();
    const parsed = JSON.parse(text) as { files: [string, string][] };
    for (const [p, b64] of parsed.files) ws.write(p, Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    return ws;
  }
}

const keyOf = (taskId: string, n: number) => `_scaffolder/${taskId}/ws-${n}.json`;

/** The workspace as step `n` starts it (the one step n-1 saved); empty for the first step. */
export async function loadWorkspace(bucket: R2Bucket, taskId: string, n: number): Promise<Workspace> {
  if (n === 0) return new Workspace();
  const obj = await bucket.get(keyOf(taskId, n));
  if (!obj) throw new Error(`The workspace of task ${taskId} before step ${n + 1} is missing`);
  return Workspace.fromJson(await obj.text());
}

export async function saveWorkspace(bucket: R2Bucket, taskId: string, n: number, ws: Workspace): Promise<void> {
  await bucket.put(keyOf(taskId, n), ws.toJson(), { httpMetadata: { contentType: "application/json" } });
}

export async function deleteWorkspaces(bucket: R2Bucket, taskId: string): Promise<void> {
  const listed = await bucket.list({ prefix: `_scaffolder/${taskId}/` });
  if (listed.objects.length) await bucket.delete(listed.objects.map((o) => o.key));
}
