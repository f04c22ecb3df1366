/** Organization data's side of the JOBS consumer: the handler per job type. */
import type { OrgJob } from "./jobs";
import { handleOrgChange } from "./change";
import { handleOrgBatch, handleOrgImport } from "./import";

type Handler<T extends OrgJob["type"]> = (message: Extract<OrgJob, { type: T }>, env: Env) => Promise<string | void>;

export const orgHandlers: { [T in OrgJob["type"]]: Handler<T> } = {
  "github-org-import": (m, env) => handleOrgImport(env, m),
  "github-org-batch": (m, env) => handleOrgBatch(env, m),
  "github-org-change": (m, env) => handleOrgChange(env, m),
};
