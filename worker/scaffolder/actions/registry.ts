/**
 * The template actions a task can call: the built-ins, plus those plugins add through
 * worker/plugins/api.ts (registerTemplateAction). Ids are unique; a plugin cannot replace a built-in.
 */
import { catalogFetch, catalogRegister, catalogWrite } from "./catalog";
import { debugLog, debugWait } from "./debug";
import { fetchPlain, fetchPlainFile, fetchTemplate } from "./fetch";
import { publishGithub, publishGithubPullRequest } from "./publish";
import type { TemplateAction } from "./types";

const BUILT_IN: readonly TemplateAction[] = [
  fetchTemplate,
  fetchPlain,
  fetchPlainFile,
  publishGithub,
  publishGithubPullRequest,
  catalogRegister,
  catalogWrite,
  catalogFetch,
  debugLog,
  debugWait,
];

const actions = new Map<string, TemplateAction>(BUILT_IN.map((a) => [a.id, a]));

const ACTION_ID = /^[a-z][a-z0-9-]*(?::[a-z0-9][a-z0-9:-]*)+$/i;

export function addAction(action: TemplateAction): void {
  if (!ACTION_ID.test(action.id)) throw new Error(`Template action id '${action.id}' must look like 'namespace:name'`);
  if (actions.has(action.id)) throw new Error(`Template action '${action.id}' is registered already`);
  actions.set(action.id, action);
}

export const getAction = (id: string): TemplateAction | undefined => actions.get(id);

/** GET /actions: Backstage's ListActionsResponse. */
export function listActions() {
  return [...actions.values()].map((a) => ({ id: a.id, description: a.description, ...(a.schema ? { schema: a.schema } : {}) }));
}
