/**
 * Restart safety: a task's run is replayed after a restart (a Workflow instance replays run() and every
 * step.do that had returned gives back its kept result). This drives the same run with a runner that keeps
 * results the way Workflows does and "crashes" the worker after a step, then replays it: the completed
 * steps, the repository creation among them, are not repeated, and the task completes.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createTask as storeTask, getTask, listSteps } from "../../../worker/scaffolder/store";
import { runTask, type StepRunner } from "../../../worker/scaffolder/run/task";
import { parseTemplate } from "../../../worker/scaffolder/template";
import { installScaffolderGithub, repoFiles, templatesRepo } from "./helpers";

const fake = installScaffolderGithub();

class Crash extends Error {}

/** Keeps each step's result like step.do; throws Crash (the isolate going away) right after step `crashAfter` returns. */
function durableRunner(kept: Map<string, unknown>, runs: string[], crashAfter?: string): StepRunner {
  return {
    async do<T>(name: string, fn: () => Promise<T>): Promise<T> {
      if (kept.has(name)) return structuredClone(kept.get(name)) as T;
      runs.push(name);
      const result = await fn();
      kept.set(name, structuredClone(result));
      if (name === crashAfter) throw new Crash(name);
      return result;
    },
  };
}

async function storedTask(name: string, repo: { owner: string; name: string }) {
  const template = parseTemplate({
    apiVersion: "scaffolder.backstage.io/v1beta3",
    kind: "Template",
    metadata: { name: "restart", annotations: { "backstage.io/source-location": `url:https://github.com/${repo.owner}/${repo.name}/tree/main/` } },
    spec: {
      steps: [
        { id: "fetch", action: "fetch:template", input: { url: "./skel", values: { name } } },
        { id: "publish", action: "publish:github", input: { repoUrl: `github.com?owner=acme&repo=${name}` } },
        { id: "log", action: "debug:log", input: { message: "${{ steps.publish.output.remoteUrl }}" } },
      ],
    },
  });
  const id = crypto.randomUUID();
  await storeTask(env.DB, {
    id,
    createdBy: null,
    spec: { apiVersion: template.apiVersion, templateInfo: { entityRef: template.entityRef, baseUrl: template.baseUrl }, parameters: {}, steps: template.steps, output: { remote: "${{ steps.publish.output.remoteUrl }}" }, user: { ref: null }, secretFields: [] },
  });
  return id;
}

describe("restart mid-task", () => {
  it("a run started over from the top (a restarted instance, as after wrangler dev stopped) skips the steps D1 records as done", async () => {
    const repo = await templatesRepo(fake, { "skel/README.md": "# ${{ values.name }}\n" });
    const name = `again-${Math.random().toString(36).slice(2, 7)}`;
    const id = await storedTask(name, repo);
    const crashed = await runTask(env, { taskId: id, secrets: {}, secretParameters: {} }, durableRunner(new Map(), [], "step 2: publish")).catch((e) => e);
    expect(crashed, JSON.stringify(await listSteps(env.DB, id))).toBeInstanceOf(Crash);
    const creates = () => fake.requests.filter((r) => r.method === "POST" && r.path === "/orgs/acme/repos").length;
    const before = creates();
    // Nothing kept by the platform this time: every step.do runs its function again.
    await runTask(env, { taskId: id, secrets: {}, secretParameters: {} }, durableRunner(new Map(), []));
    expect(creates()).toBe(before);
    const task = (await getTask(env.DB, id))!;
    expect(task.status).toBe("completed");
    expect(task.output).toEqual({ remote: `https://github.com/acme/${name}.git` });
  });

  it("neither loses nor repeats a completed step", async () => {
    const repo = await templatesRepo(fake, { "skel/README.md": "# ${{ values.name }}\n", "skel/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-a\n" });
    const name = `restart-${Math.random().toString(36).slice(2, 7)}`;
    const id = await storedTask(name, repo);
    const kept = new Map<string, unknown>();
    const first: string[] = [];
    await expect(runTask(env, { taskId: id, secrets: {}, secretParameters: {} }, durableRunner(kept, first, "step 2: publish"))).rejects.toBeInstanceOf(Crash);
    expect(first).toEqual(["start", "step 1: fetch", "step 2: publish"]);
    const creates = () => fake.requests.filter((r) => r.method === "POST" && r.path === "/orgs/acme/repos").length;
    const createdOnce = creates();

    const replay: string[] = [];
    await runTask(env, { taskId: id, secrets: {}, secretParameters: {} }, durableRunner(kept, replay));
    expect(replay).toEqual(["step 3: log", "finish"]);
    expect(creates()).toBe(createdOnce);
    const task = (await getTask(env.DB, id))!;
    expect(task.status).toBe("completed");
    expect(task.output).toEqual({ remote: `https://github.com/acme/${name}.git` });
    expect((await listSteps(env.DB, id)).map((s) => s.status)).toEqual(["completed", "completed", "completed"]);
    expect(Object.keys(repoFiles(fake, "acme", name)).sort()).toEqual(["README.md", "catalog-info.yaml"]);
  });
});
