import { describe, expect, it } from "vitest";
import { renderValue } from "../../../worker/scaffolder/render/expressions";
import { renderTemplateString, TemplateLimitError } from "../../../worker/scaffolder/render/sandbox";

describe("nunjucks in the QuickJS sandbox", () => {
  it("renders Backstage expressions, keeping the type of a single expression", async () => {
    const ctx = { parameters: { name: "svc", tags: ["a", "b"], n: 3, repoUrl: "github.com?owner=acme&repo=svc", owner: "group:default/team-a" } };
    expect(await renderValue("${{ parameters.name }}", ctx)).toBe("svc");
    expect(await renderValue("${{ parameters.tags }}", ctx)).toEqual(["a", "b"]);
    expect(await renderValue("${{ parameters.n }}", ctx)).toBe(3);
    expect(await renderValue("x-${{ parameters.name | upper }}", ctx)).toBe("x-SVC");
    expect(await renderValue("${{ parameters.repoUrl | parseRepoUrl }}", ctx)).toEqual({ host: "github.com", owner: "acme", repo: "svc" });
    expect(await renderValue("${{ parameters.repoUrl | projectSlug }}", ctx)).toBe("acme/svc");
    expect(await renderValue("${{ parameters.owner | parseEntityRef | pick('name') }}", ctx)).toBe("team-a");
    expect(await renderValue("${{ parameters.missing }}", ctx)).toBeUndefined();
    expect(await renderValue({ a: ["${{ parameters.name }}", 1] }, ctx)).toEqual({ a: ["svc", 1] });
  });

  it("stops a template that loops without bound", async () => {
    await expect(renderTemplateString("{% for i in range(0, 100000000) %}x{% endfor %}", {})).rejects.toBeInstanceOf(TemplateLimitError);
    // The next render gets a fresh runtime.
    expect(await renderTemplateString("${{ 1 + 1 }}", {})).toBe("2");
  });

  it("stops a template that computes without bound (cycle budget)", async () => {
    const err = await renderTemplateString("{% for i in range(0, 3000) %}{% for j in range(0, 3000) %}{% endfor %}{% endfor %}", {}).catch((e) => e);
    expect(err).toBeInstanceOf(TemplateLimitError);
    expect(err.message).toMatch(/cycle budget/);
  });

  it("stops a template that allocates without bound", async () => {
    await expect(renderTemplateString("{% set s = 'xxxxxxxxxxxxxxxx' %}{% for i in range(0, 40) %}{% set s = s + s %}{% endfor %}${{ s | length }}", {})).rejects.toThrow(/Template stopped: it used more than 32 MB/);
    expect(await renderTemplateString("ok", {})).toBe("ok");
  });
});
