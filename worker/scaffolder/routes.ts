/**
 * /api/scaffolder/v2 — Backstage's scaffolder API: GET /actions, GET /templates/:namespace/:kind/:name/
 * parameter-schema, POST|GET /tasks, GET /tasks/:id, GET /tasks/:id/events, GET /tasks/:id/eventstream
 * (server-sent events), POST /tasks/:id/cancel, POST /dry-run. Values are validated against the template's
 * parameters before a task exists (400 with field errors); the task then runs as a Workflow instance.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../env";
import { authorize, can } from "../access";
import { ApiError } from "../errors";
import { limitBody, readJsonObject } from "../http";
import { principalOf } from "../identity/authenticate";
import { parseEntityRef, stringifyEntityRef } from "../catalog/entity-ref";
import { getEntityJsonByRef } from "../catalog/store/read";
import { listActions } from "./actions/registry";
import { dryRunTemplate } from "./run/dry-run";
import { createTask, getTask, listEvents, listSteps, listTasks, setTaskStatus, appendEvents, closeOpenSteps, type Task, type StoredTaskSpec } from "./store";
import { parameterSchemaOf, parseTemplate, type TemplateSpec } from "./template";
import { checkValues, parameterSteps } from "./values";
import { normalizePath } from "./workspace";
import { isStale, recoverTask } from "./recover";
import { checkCatalogRefs } from "./catalog-refs";
import { startInstance, withInstance } from "./instances";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

async function loadTemplate(db: D1Database, ref: string): Promise<{ entity: Record<string, unknown>; template: TemplateSpec }> {
  let canonical: string;
  try {
    canonical = stringifyEntityRef(parseEntityRef(ref, { defaultKind: "template" }));
  } catch (err) {
    throw new ApiError("InputError", `Invalid templateRef: ${(err as Error).message}`);
  }
  if (!canonical.startsWith("template:")) throw new ApiError("InputError", `${ref} is not a Template ref`);
  const json = await getEntityJsonByRef(db, canonical);
  if (!json) throw new ApiError("NotFoundError", `Template ${canonical} not found`);
  const entity = JSON.parse(json) as Record<string, unknown>;
  return { entity, template: parseTemplate(entity) };
}

/** A template's own narrowing of who may run it (annotation edgestage.dev/run-allowed). */
async function checkMayRun(c: Context<AppEnv>, template: TemplateSpec): Promise<void> {
  if (!template.runAllowed || can(c, "scaffolder.task.admin")) return;
  const p = await principalOf(c);
  const claims = p.type === "user" ? p.ownershipRefs.map((r) => r.toLowerCase()) : [];
  if (!claims.some((r) => template.runAllowed!.includes(r))) {
    throw new ApiError("NotAllowedError", `Not allowed to run ${template.entityRef}: only ${template.runAllowed.join(", ")} may`);
  }
}

function secretsOf(body: Record<string, unknown>): Record<string, string> {
  if (body.secrets === undefined) return {};
  if (!isObject(body.secrets) || Object.values(body.secrets).some((v) => typeof v !== "string")) throw new ApiError("InputError", "secrets must be an object of strings");
  return { ...(body.secrets as Record<string, string>) };
}

async function userOf(c: Context<AppEnv>): Promise<StoredTaskSpec["user"]> {
  const p = await principalOf(c);
  if (p.type !== "user") return { ref: p.type === "service" ? `token:${p.name}` : null };
  const json = await getEntityJsonByRef(c.env.DB, p.ref);
  return { ref: p.ref, ...(json ? { entity: JSON.parse(json) } : {}) };
}

/** Backstage's SerializedTask, plus the steps' state. */
async function taskJson(db: D1Database, t: Task) {
  return {
    id: t.id,
    spec: t.spec,
    status: t.status,
    createdAt: t.createdAt,
    lastHeartbeatAt: t.lastHeartbeatAt,
    createdBy: t.createdBy,
    ...(t.output ? { output: t.output } : {}),
    ...(t.error ? { error: { name: "Error", message: t.error } } : {}),
    steps: await listSteps(db, t.id),
  };
}

async function mustGetTask(db: D1Database, id: string): Promise<Task> {
  const t = await getTask(db, id);
  if (!t) throw new ApiError("NotFoundError", `Task with id ${id} does not exist`);
  return t;
}

const encoder = new TextEncoder();
const POLL_MS = 200;
/** A stream ends after this long even if the task has not; the client reconnects with `after`. */
const STREAM_MAX_MS = 10 * 60_000;

export const scaffolderRoutes = new Hono<AppEnv>()
  .get("/v2/actions", authorize("scaffolder.action.list"), (c) => c.json(listActions()))

  .get("/v2/templates/:namespace/:kind/:name/parameter-schema", authorize("scaffolder.template.parameter.read"), async (c) => {
    const { namespace, kind, name } = c.req.param();
    if (kind.toLowerCase() !== "template") throw new ApiError("InputError", `Only Template entities have a parameter schema, not ${kind}`);
    const { template, entity } = await loadTemplate(c.env.DB, `template:${namespace}/${name}`);
    return c.json(parameterSchemaOf(template, String((entity.metadata as Record<string, unknown>).name)));
  })

  .post("/v2/tasks", limitBody(1024 * 1024), authorize("scaffolder.task.create"), async (c) => {
    const body = await readJsonObject(c);
    if (typeof body.templateRef !== "string") throw new ApiError("InputError", "templateRef must be a string");
    const { entity, template } = await loadTemplate(c.env.DB, body.templateRef);
    await checkMayRun(c, template);
    const steps = parameterSteps(template.parameters);
    const secrets = secretsOf(body);
    const checked = checkValues(steps, body.values ?? {}, secrets);
    await checkCatalogRefs(c.env.DB, steps, body.values ?? {}, secrets);
    const user = await userOf(c);
    const id = crypto.randomUUID();
    const spec: StoredTaskSpec = {
      apiVersion: template.apiVersion,
      templateInfo: { entityRef: template.entityRef, baseUrl: template.baseUrl, entity: { metadata: entity.metadata as Record<string, unknown> } },
      parameters: checked.stored,
      steps: template.steps,
      output: template.output,
      user,
      secretFields: Object.keys(checked.secretFields),
    };
    await createTask(c.env.DB, { id, spec, createdBy: user.ref });
    await startInstance(c.env, id, { taskId: id, secrets: checked.secrets, secretParameters: checked.secretFields });
    c.set("auditTarget", template.entityRef);
    return c.json({ id }, 201);
  })

  .get("/v2/tasks", authorize("scaffolder.task.read"), async (c) => {
    const createdBy = c.req.queries("createdBy")?.[0];
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 100) || 100, 1), 1000);
    const offset = Math.max(Number(c.req.query("offset") ?? 0) || 0, 0);
    const { tasks, total } = await listTasks(c.env.DB, { createdBy: createdBy?.toLowerCase(), limit, offset });
    return c.json({ tasks: tasks.map((t) => ({ id: t.id, spec: t.spec, status: t.status, createdAt: t.createdAt, lastHeartbeatAt: t.lastHeartbeatAt, createdBy: t.createdBy })), totalTasks: total });
  })

  .get("/v2/tasks/:id", authorize("scaffolder.task.read"), async (c) => {
    const t = await mustGetTask(c.env.DB, c.req.param("id"));
    if (isStale(t)) c.executionCtx.waitUntil(recoverTask(c.env, t.id).catch((err) => console.error(`scaffolder: could not resume task ${t.id}: ${err}`)));
    return c.json(await taskJson(c.env.DB, t));
  })

  .get("/v2/tasks/:id/events", authorize("scaffolder.task.read"), async (c) => {
    const id = c.req.param("id");
    await mustGetTask(c.env.DB, id);
    return c.json(await listEvents(c.env.DB, id, Number(c.req.query("after") ?? 0) || 0));
  })

  .get("/v2/tasks/:id/eventstream", authorize("scaffolder.task.read"), async (c) => {
    const id = c.req.param("id");
    await mustGetTask(c.env.DB, id);
    const db = c.env.DB;
    let after = Number(c.req.query("after") ?? c.req.header("last-event-id") ?? 0) || 0;
    const started = Date.now();
    let closed = false;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // One poll per pull: the stream asks for more only as the client reads.
        while (!closed) {
          const events = await listEvents(db, id, after);
          if (events.length) {
            let done = false;
            for (const e of events) {
              after = e.id;
              controller.enqueue(encoder.encode(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`));
              if (e.type === "completion" || e.type === "cancelled") done = true;
            }
            if (done) (closed = true), controller.close();
            return;
          }
          if (Date.now() - started > STREAM_MAX_MS) return void ((closed = true), controller.close());
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      },
      cancel() {
        closed = true;
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" } });
  })

  .post("/v2/tasks/:id/cancel", authorize("scaffolder.task.cancel"), async (c) => {
    const id = c.req.param("id");
    const task = await mustGetTask(c.env.DB, id);
    const p = await principalOf(c);
    const mine = p.type === "user" && task.createdBy === p.ref;
    if (!mine && !can(c, "scaffolder.task.admin")) throw new ApiError("NotAllowedError", `Not allowed to cancel task ${id}: it was created by ${task.createdBy ?? "someone else"}`);
    if (await setTaskStatus(c.env.DB, id, "cancelled")) {
      await closeOpenSteps(c.env.DB, id, "cancelled");
      await appendEvents(c.env.DB, id, [{ type: "cancelled", body: { message: `Task ${id} was cancelled`, status: "cancelled" } }]);
      try {
        await withInstance(c.env, id, (instance) => instance.terminate());
      } catch {
        // Already finished, or between steps: the run sees the status before its next step.
      }
    }
    c.set("auditTarget", id);
    return c.json({ status: (await mustGetTask(c.env.DB, id)).status });
  })

  .post("/v2/dry-run", limitBody(10 * 1024 * 1024), authorize("scaffolder.task.create"), async (c) => {
    const body = await readJsonObject(c);
    let template: TemplateSpec;
    if (body.template !== undefined) template = parseTemplate(body.template);
    else if (typeof body.templateRef === "string") template = (await loadTemplate(c.env.DB, body.templateRef)).template;
    else throw new ApiError("InputError", "template (a Template entity) or templateRef is required");
    await checkMayRun(c, template);
    const steps = parameterSteps(template.parameters);
    const secrets = secretsOf(body);
    const checked = checkValues(steps, body.values ?? {}, secrets);
    await checkCatalogRefs(c.env.DB, steps, body.values ?? {}, secrets);
    let templateFiles: Map<string, Uint8Array> | undefined;
    if (body.directoryContents !== undefined) {
      if (!Array.isArray(body.directoryContents)) throw new ApiError("InputError", "directoryContents must be a list of { path, base64Content }");
      templateFiles = new Map();
      for (const f of body.directoryContents) {
        if (!isObject(f) || typeof f.path !== "string" || typeof f.base64Content !== "string") throw new ApiError("InputError", "directoryContents entries need a path and base64Content");
        let bytes: Uint8Array;
        try {
          bytes = Uint8Array.from(atob(f.base64Content), (ch) => ch.charCodeAt(0));
        } catch {
          throw new ApiError("InputError", `directoryContents ${f.path}: base64Content is not base64`);
        }
        templateFiles.set(normalizePath(f.path), bytes);
      }
    }
    const result = await dryRunTemplate(c.env, { template, values: checked.stored, secrets: checked.secrets, user: await userOf(c), templateFiles });
    return c.json(result);
  });
