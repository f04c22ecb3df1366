/** Small readers for action inputs: each names the action and field it refuses. */
import { ApiError } from "../../errors";

export function str(action: string, input: Record<string, unknown>, key: string): string | undefined;
export function str(action: string, input: Record<string, unknown>, key: string, required: true): string;
export function str(action: string, input: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === "") {
    if (required) throw new ApiError("InputError", `Invalid input passed to action ${action}: '${key}' is required`);
    return undefined;
  }
  if (typeof v !== "string") throw new ApiError("InputError", `Invalid input passed to action ${action}: '${key}' must be a string`);
  return v;
}

export function bool(action: string, input: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = input[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") throw new ApiError("InputError", `Invalid input passed to action ${action}: '${key}' must be a boolean`);
  return v;
}

export function strList(action: string, input: Record<string, unknown>, key: string): string[] {
  const v = input[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new ApiError("InputError", `Invalid input passed to action ${action}: '${key}' must be a list of strings`);
  return v as string[];
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A glob (`*`, `**`, `?`, `{a,b}`) as an anchored regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  const g = glob.replace(/^\.\//, "").replace(/^\//, "");
  for (let i = 0; i < g.length; i++) {
    const ch = g[i];
    if (ch === "*") {
      if (g[i + 1] === "*") {
        i++;
        if (g[i + 1] === "/") (i++, (re += "(?:.*/)?"));
        else re += ".*";
      } else re += "[^/]*";
    } else if (ch === "?") re += "[^/]";
    else if (ch === "{") {
      const end = g.indexOf("}", i);
      if (end < 0) re += "\\{";
      else {
        re += `(?:${g.slice(i + 1, end).split(",").map((s) => s.replace(/[.+^$()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")).join("|")})`;
        i = end;
      }
    } else re += ch.replace(/[.+^$()|[\]\\]/g, "\\$&");
  }
  // A folder glob (`.github/workflows/`) or a bare folder name covers what is inside it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** Backstage's `token` input: a string overrides the integration; `false`/absent (`${{ secrets.X or false }}`) does not. */
export function tokenInput(input: Record<string, unknown>): string | undefined {
  return typeof input.token === "string" && input.token ? input.token : undefined;
}

/** The schema entry of that input. */
export const TOKEN_SCHEMA = { type: ["string", "boolean"], description: "A GitHub token to use instead of the portal's integration" } as const;
