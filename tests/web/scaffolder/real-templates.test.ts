import { describe, expect, it } from "vitest";
import { errorsByPointer, parseTemplateParameters, secretFieldPaths, userCredentialsMessage, validateTemplateValues } from "../../../contract/template-params";
import { loadTemplate, templateNames } from "./fixtures";

describe("Backstage's own templates", () => {
  const names = templateNames();

  it("has the fixtures", () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  it.each(names)("%s parses into one step per parameters entry, with plain JSON Schema left", (name) => {
    const t = loadTemplate(name);
    const steps = parseTemplateParameters(t.spec.parameters);
    const entries = Array.isArray(t.spec.parameters) ? t.spec.parameters : [t.spec.parameters];
    expect(steps).toHaveLength(entries.length);
    for (const s of steps) {
      expect(s.title).toBeTruthy();
      expect(JSON.stringify(s.schema)).not.toMatch(/"ui:/);
    }
  });

  it.each(names)("%s: empty values are refused with exactly the required fields, titled", (name) => {
    const steps = parseTemplateParameters(loadTemplate(name).spec.parameters);
    const expected: Record<string, string[]> = {};
    for (const s of steps) {
      for (const r of (s.schema.required as string[] | undefined) ?? []) {
        const title = ((s.schema.properties as Record<string, { title?: string }>)[r]?.title ?? r).trim();
        expected[`/${r}`] = [`${title} is required`];
      }
    }
    const by = errorsByPointer(validateTemplateValues(steps, {}).errors);
    expect({ ...by }).toEqual(expected);
  });

  it("create-app's Node.js template accepts a name and a GitHub location, refuses other hosts", () => {
    const steps = parseTemplateParameters(loadTemplate("create-app-nodejs").spec.parameters);
    expect(steps[0]!.uiSchema.name).toEqual({ "ui:field": "EntityNamePicker", "ui:autofocus": true });
    expect(validateTemplateValues(steps, { name: "my-service", repoUrl: "github.com?owner=acme&repo=my-service" }).valid).toBe(true);
    const by = errorsByPointer(validateTemplateValues(steps, { name: "my service", repoUrl: "gitlab.com?owner=acme" }).errors);
    expect(by["/name"]).toHaveLength(1);
    expect(by["/repoUrl"]).toEqual([
      "Host gitlab.com is not allowed; choose one of github.com",
      "Incomplete repository location provided, repo not provided",
    ]);
  });

  it("the Bitbucket demo wants workspace and project instead of an owner", () => {
    const steps = parseTemplateParameters(loadTemplate("bitbucket-demo").spec.parameters);
    const ok = { name: "svc", owner: "group:default/team-a", repoUrl: "bitbucket.org?workspace=w&project=P&repo=svc" };
    expect(validateTemplateValues(steps, ok).errors).toEqual([]);
    const by = errorsByPointer(validateTemplateValues(steps, { ...ok, repoUrl: "bitbucket.org?repo=svc" }).errors);
    expect(by["/repoUrl"]).toEqual([
      "Incomplete repository location provided, workspace not provided",
      "Incomplete repository location provided, project not provided",
    ]);
  });

  it("the demo template's radio enum and checkbox array are checked against their options", () => {
    const steps = parseTemplateParameters(loadTemplate("backstage-demo").spec.parameters);
    expect(steps[0]!.uiSchema.mode).toEqual({ "ui:widget": "radio" });
    expect(steps[0]!.uiSchema.topics).toEqual({ "ui:widget": "checkboxes", items: {} });
    const base = { name: "Ann", mode: "dark", topics: ["input-examples"], repoUrl: "github.com?owner=ann&repo=site" };
    // Its RepoUrlPicker asks for the user's GitHub token (requestUserCredentials): valid only with it in the secrets.
    const secrets = { USER_OAUTH_TOKEN: "gho_user" };
    expect(validateTemplateValues(steps, base, { secrets }).valid).toBe(true);
    expect(errorsByPointer(validateTemplateValues(steps, base).errors)["/repoUrl"]).toEqual([userCredentialsMessage("USER_OAUTH_TOKEN")]);
    expect(userCredentialsMessage("USER_OAUTH_TOKEN")).toMatch(/cannot provide: signing in with GitHub here keeps no user token/);
    const by = errorsByPointer(validateTemplateValues(steps, { ...base, mode: "dim", topics: ["input-examples", "input-examples", "x"] }, { secrets }).errors);
    expect(by["/mode"]).toEqual(["Must be one of: Light, Dark"]);
    expect(by["/topics"]).toEqual(["Items must be unique"]);
    expect(by["/topics/2"]![0]).toMatch(/^Must be one of: Writing Templates, Input Examples/);
  });

  it("rails-demo's nested object is validated field by field", () => {
    const steps = parseTemplateParameters(loadTemplate("rails-demo").spec.parameters);
    const values = { name: "app", owner: "group:default/rails", repoUrl: "github.com?owner=o&repo=app", dryRun: false, railsArguments: { database: "mongo", minimal: "yes" } };
    const by = errorsByPointer(validateTemplateValues(steps, values).errors);
    expect(Object.keys(by).sort()).toEqual(["/railsArguments/database", "/railsArguments/minimal"]);
    expect(by["/railsArguments/minimal"]).toEqual(["Must be true or false"]);
  });

  it("none of the real templates has a secret field except through RepoUrlPicker credentials (not a form field)", () => {
    for (const n of names.filter((x) => x !== "kitchen-sink")) {
      expect(secretFieldPaths(parseTemplateParameters(loadTemplate(n).spec.parameters))).toEqual([]);
    }
  });
});
