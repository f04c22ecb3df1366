/**
 * A plugin's problems with entities (contract PluginProblems): checked here, stored with the catalog's
 * processing errors by worker/catalog/store/plugin-problems.ts under the plugin's id, which the plugin cannot
 * choose. Bounded per entity and per field, so a plugin cannot flood an entity page or the error listings;
 * bad input is a 4xx ApiError, never a 500.
 */
import type { PluginProblem, PluginProblems } from "../../../contract/plugin-worker";
import { readPluginProblems, replacePluginProblems, type PluginProblemRow } from "../../catalog/store/plugin-problems";
import { ApiError } from "../../errors";
import { normalizeEntityRef } from "./search";

export const MAX_PROBLEMS_PER_ENTITY = 20;
export const MAX_PROBLEM_MESSAGE_CHARS = 2000;
const MAX_FIELD_CHARS = 500;
const NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const SHA = /^[0-9a-f]{40}$/i;
const UNSTORABLE = /[\u0000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

function optionalText(value: unknown, what: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new ApiError("InputError", `Problem ${what} must be a string`);
  if (value.length > max) throw new ApiError("PayloadTooLargeError", `Problem ${what} is longer than ${max} characters`);
  if (UNSTORABLE.test(value)) throw new ApiError("InputError", `Problem ${what} contains NUL or an unpaired surrogate`);
  return value;
}

function checkProblem(p: PluginProblem, i: number): PluginProblemRow {
  if (!p || typeof p !== "object" || Array.isArray(p)) throw new ApiError("InputError", `problems[${i}] must be an object`);
  if (typeof p.name !== "string" || !NAME.test(p.name)) throw new ApiError("InputError", `problems[${i}].name must be a letter then letters or digits, at most 64`);
  const message = optionalText(p.message, "message", MAX_PROBLEM_MESSAGE_CHARS);
  if (!message?.trim()) throw new ApiError("InputError", `problems[${i}].message must not be empty`);
  const line = p.line ?? null;
  if (line !== null && !(Number.isSafeInteger(line) && line >= 1)) throw new ApiError("InputError", `problems[${i}].line must be a positive integer`);
  const commitSha = p.commitSha ?? null;
  if (commitSha !== null && (typeof commitSha !== "string" || !SHA.test(commitSha))) throw new ApiError("InputError", `problems[${i}].commitSha must be 40 hex digits`);
  return { name: p.name, message, field: optionalText(p.field, "field", MAX_FIELD_CHARS), line, commitSha: commitSha?.toLowerCase() ?? null };
}

const toProblem = (r: PluginProblemRow): PluginProblem => ({ name: r.name, message: r.message, field: r.field, line: r.line, commitSha: r.commitSha });

export function createPluginProblems(db: D1Database, pluginId: string): PluginProblems {
  return {
    async replace(entityRef, problems) {
      const ref = normalizeEntityRef(entityRef);
      if (!Array.isArray(problems)) throw new ApiError("InputError", "Problems are an array");
      if (problems.length > MAX_PROBLEMS_PER_ENTITY) throw new ApiError("PayloadTooLargeError", `At most ${MAX_PROBLEMS_PER_ENTITY} problems per entity; got ${problems.length}`);
      const rows = problems.map(checkProblem);
      if (!(await replacePluginProblems(db, pluginId, ref, rows, Date.now()))) throw new ApiError("NotFoundError", `No entity ${ref} in the catalog to record problems against`);
    },
    async clear(entityRef) {
      await replacePluginProblems(db, pluginId, normalizeEntityRef(entityRef), [], Date.now());
    },
    async list(entityRef) {
      return (await readPluginProblems(db, pluginId, normalizeEntityRef(entityRef))).rows.map(toProblem);
    },
  };
}
