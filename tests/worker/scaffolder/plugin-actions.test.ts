import { describe, expect, it } from "vitest";
import { registerTemplateAction } from "../../../worker/plugins/api";
import { getJson } from "../helpers";
import { eventsOf, registerTemplate, runTemplate } from "./helpers";

registerTemplateAction({
  id: "acme:stamp",
  description: "Writes a STAMP file",
  schema: { input: { type: "object", required: ["text"], properties: { text: { type: "string" } } } },
  async handler(ctx) {
    ctx.workspace.write("STAMP", String(ctx.input.text));
    ctx.log(`stamped for ${ctx.user}; env visible: ${"env" in ctx}`);
    ctx.output("files", ctx.workspace.list());
  },
});

describe("template actions from plugins", () => {
  it("are listed and run with only the restricted context", async () => {
    const actions = (await getJson("/api/scaffolder/v2/actions")).body as { id: string }[];
    expect(actions.map((a) => a.id)).toContain("acme:stamp");
    const ref = await registerTemplate({
      apiVersion: "scaffolder.backstage.io/v1beta3",
      kind: "Template",
      metadata: { name: "stamp" },
      spec: { owner: "team-a", type: "service", steps: [{ id: "s", action: "acme:stamp", input: { text: "hi" } }], output: { files: "${{ steps.s.output.files }}" } },
    });
    const task = await runTemplate(ref, {});
    expect(task.status).toBe("completed");
    expect(task.output).toEqual({ files: ["STAMP"] });
    expect((await eventsOf(task.id)).some((e) => e.body.message === "stamped for null; env visible: false")).toBe(true);
  });

  it("cannot replace a built-in action", () => {
    expect(() => registerTemplateAction({ id: "publish:github", description: "x", handler: async () => {} })).toThrow(/registered already/);
  });
});
