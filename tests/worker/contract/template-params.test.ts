// The shared template-parameter module runs in workerd as it does in the browser (no eval, no Node APIs).
import { describe, expect, it } from "vitest";
import { errorsByPointer, parseTemplateParameters, redactSecrets, resolveSchema, validateTemplateValues } from "../../../contract/template-params";

const parameters = [
  {
    title: "Name",
    required: ["name", "lang"],
    properties: {
      name: { title: "Name", type: "string", "ui:field": "EntityNamePicker" },
      lang: { type: "string", enum: ["ts", "go"], enumNames: ["TypeScript", "Go"] },
      token: { type: "string", "ui:field": "Secret" },
    },
    dependencies: { lang: { oneOf: [{ properties: { lang: { const: "go" }, goVersion: { type: "string", pattern: "^1\\.[0-9]+$" } }, required: ["goVersion"] }, { properties: { lang: { const: "ts" } } }] } },
  },
  { title: "Where", required: ["repoUrl"], properties: { repoUrl: { type: "string", "ui:field": "RepoUrlPicker", "ui:options": { allowedHosts: ["github.com"] } } } },
];

describe("contract/template-params in workerd", () => {
  it("validates with field errors, dependencies and extensions", () => {
    const steps = parseTemplateParameters(parameters);
    expect(Object.keys(resolveSchema(steps[0]!.schema, { lang: "go" }).properties as object)).toContain("goVersion");
    const by = errorsByPointer(validateTemplateValues(steps, { name: "bad name", lang: "go", goVersion: "x", repoUrl: "gitlab.com?owner=a&repo=b" }).errors);
    expect(Object.keys(by).sort()).toEqual(["/goVersion", "/name", "/repoUrl"]);
    expect(validateTemplateValues(steps, { name: "ok", lang: "ts", repoUrl: "github.com?owner=a&repo=b" }).valid).toBe(true);
    expect(redactSecrets(steps, { token: "t0k" })).toEqual({ token: "********" });
  });
});
