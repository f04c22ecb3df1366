/**
 * RepoUrlPicker's `requestUserCredentials`: Backstage's form puts the user's OAuth token into
 * `secrets.<secretsKey>`. Edgestage's GitHub sign-in keeps no user token, so the portal cannot; POST /tasks
 * then refuses the values with a field error saying so (not a run without the credentials the template asked
 * for). An API caller that passes its own token there runs the template, and the actions' `token` input
 * calls GitHub with it, never storing or logging it.
 */
import { describe, expect, it } from "vitest";
import { userCredentialsMessage } from "../../../contract/template-params";
import { getJson, postJson } from "../helpers";
import { createTask, eventsOf, installScaffolderGithub, registerTemplate, settledTask, templatesRepo } from "./helpers";

const fake = installScaffolderGithub();
const calls: { method: string; path: string; authorization: string | null }[] = [];
const inner = fake.fetch;
fake.fetch = async (req: Request) => {
  calls.push({ method: req.method, path: new URL(req.url).pathname, authorization: req.headers.get("authorization") });
  return inner(req);
};

const USER_TOKEN = "gho_userTokenFromTheApiCaller";

async function template() {
  const repo = await templatesRepo(fake, { "skel/README.md": "# ${{ values.name }}\n" });
  return registerTemplate(
    {
      apiVersion: "scaffolder.backstage.io/v1beta3",
      kind: "Template",
      metadata: { name: "user-creds" },
      spec: {
        owner: "team-a",
        type: "service",
        parameters: [
          {
            title: "Repository",
            required: ["repoUrl"],
            properties: {
              repoUrl: { type: "string", "ui:field": "RepoUrlPicker", "ui:options": { allowedHosts: ["github.com"], requestUserCredentials: { secretsKey: "USER_OAUTH_TOKEN", additionalScopes: { github: ["workflow"] } } } },
            },
          },
        ],
        steps: [
          { id: "fetch", action: "fetch:template", input: { url: "./skel", values: { name: "x" }, token: "${{ secrets.USER_OAUTH_TOKEN or false }}" } },
          { id: "publish", action: "publish:github", input: { repoUrl: "${{ parameters.repoUrl }}", token: "${{ secrets.USER_OAUTH_TOKEN or false }}" } },
          { id: "log", action: "debug:log", input: { message: "token ${{ secrets.USER_OAUTH_TOKEN }}" } },
        ],
      },
    },
    { repo, dir: "" },
  );
}

describe("RepoUrlPicker requestUserCredentials", () => {
  it("is refused at the field when the task brings no user token, saying this deployment cannot provide one", async () => {
    const ref = await template();
    const before = (await getJson("/api/scaffolder/v2/tasks")).body.totalTasks;
    const res = await createTask(ref, { repoUrl: "github.com?owner=acme&repo=creds-none" });
    expect(res.status).toBe(400);
    expect(res.body.error.errors).toEqual([{ pointer: "/repoUrl", field: "repoUrl", message: userCredentialsMessage("USER_OAUTH_TOKEN"), keyword: "requestUserCredentials" }]);
    expect(res.body.error.message).toMatch(/cannot provide: signing in with GitHub here keeps no user token/);
    expect((await getJson("/api/scaffolder/v2/tasks")).body.totalTasks).toBe(before);
    const dry = await postJson("/api/scaffolder/v2/dry-run", { templateRef: ref, values: { repoUrl: "github.com?owner=acme&repo=creds-none" } });
    expect(dry.status).toBe(400);
  });

  it("runs with a token the API caller passes, and calls GitHub with it", async () => {
    const ref = await template();
    const name = `creds-${Math.random().toString(36).slice(2, 7)}`;
    const res = await createTask(ref, { repoUrl: `github.com?owner=acme&repo=${name}` }, { secrets: { USER_OAUTH_TOKEN: USER_TOKEN } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const task = await settledTask(res.body.id);
    expect(task.status, JSON.stringify(task)).toBe("completed");
    const create = calls.filter((c) => c.method === "POST" && c.path.endsWith("/orgs/acme/repos"));
    expect(create.at(-1)?.authorization).toBe(`Bearer ${USER_TOKEN}`);
    expect(calls.some((c) => c.path.includes("/git/trees/") && c.authorization === `Bearer ${USER_TOKEN}`)).toBe(true);
    const events = await eventsOf(task.id);
    expect(events.some((e) => e.body.message === "token ***")).toBe(true);
    expect(JSON.stringify([task, events])).not.toContain(USER_TOKEN);
  });
});
