/**
 * fetch:template gives the event loop a turn between files: rendering is synchronous work inside QuickJS, and a
 * skeleton rendered in one stretch held the isolate's thread long enough on a loaded machine for workerd to drop
 * every idle keep-alive connection, requests already waiting included (scripts/bench/scaffolder-poll.mjs shows
 * it). The action runs here in the test's own isolate, so a timer of the test's fires only when the action lets it.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fetchTemplate } from "../../../worker/scaffolder/actions/fetch";
import type { ActionContext } from "../../../worker/scaffolder/actions/types";
import { renderTemplateString } from "../../../worker/scaffolder/render/sandbox";
import { Workspace } from "../../../worker/scaffolder/workspace";

const FILES = 40;

describe("fetch:template and the event loop", () => {
  it("lets other work run between the files it renders", async () => {
    await renderTemplateString("warm", {}); // QuickJS started before counting
    const templateFiles = new Map(Array.from({ length: FILES }, (_, i) => [`skeleton/f${i}.txt`, new TextEncoder().encode(`\${{ values.name }} ${i}\n`)]));
    const workspace = new Workspace();
    const ctx = {
      input: { url: "./skeleton", values: { name: "svc" } },
      workspace,
      log: () => {},
      output: () => {},
      secrets: {},
      user: { ref: null },
      templateInfo: { entityRef: "template:default/x", baseUrl: null },
      taskId: "t",
      stepId: "fetch",
      isDryRun: true,
      env,
      templateFiles,
    } as ActionContext;
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    try {
      await fetchTemplate.handler.call(fetchTemplate, ctx);
    } finally {
      clearInterval(timer);
    }
    expect(workspace.list()).toHaveLength(FILES);
    expect(new TextDecoder().decode(workspace.read("f7.txt")!)).toBe("svc 7\n");
    // A turn per file (give or take the timer's own scheduling); without the yields there is none.
    expect(turns).toBeGreaterThanOrEqual(FILES / 2);
  });
});
