import { describe, expect, it } from "vitest";
import { applyEvent, formatDuration, initialView, parseEventData, stepDuration, type ScaffolderTask, type TaskEvent } from "../../../web/src/lib/scaffolder/task-events";
import { facetCounts, filterTemplates, parseTemplateFilters, serializeTemplateFilters, templateCard } from "../../../web/src/lib/scaffolder/templates";
import { loadTemplate, templateNames } from "./fixtures";

const cards = templateNames().map((n) => templateCard({ kind: "Template", ...(loadTemplate(n) as object) }));

describe("template list", () => {
  it("makes a card per template with owner as a ref", () => {
    const ks = cards.find((c) => c.name === "kitchen-sink")!;
    expect(ks).toEqual({ ref: "template:default/kitchen-sink", namespace: "default", name: "kitchen-sink", title: "Kitchen sink", description: "Every form feature the portal supports, in three steps.", type: "service", tags: ["test", "forms"], owner: "group:default/team-platform" });
    expect(cards.find((c) => c.name === "react-ssr-template")!.owner).toBe("group:default/web@example.com");
    expect(templateCard({ kind: "Template", metadata: { name: "x" }, relations: [{ type: "ownedBy", targetRef: "user:default/ann" }] }).owner).toBe("user:default/ann");
  });

  it("filters by type (any), tags (all), owner and words", () => {
    const f = (search: string) => filterTemplates(cards, parseTemplateFilters(search)).map((c) => c.name);
    expect(f("type=website")).toEqual(expect.arrayContaining(["demo-template", "react-ssr-template"]));
    expect(f("type=website").every((n) => cards.find((c) => c.name === n)!.type === "website")).toBe(true);
    expect(f("tag=recommended&tag=react")).toEqual(["react-ssr-template"]);
    expect(f("owner=group:default/team-platform")).toEqual(["e2e-service", "kitchen-sink"]);
    expect(f("q=kitchen%20three")).toEqual(["kitchen-sink"]);
    expect(f("q=zzzz")).toEqual([]);
  });

  it("round-trips the filter state through the URL", () => {
    const s = { types: ["service"], tags: ["a", "b"], owners: ["group:default/x"], q: "pay" };
    expect(parseTemplateFilters(serializeTemplateFilters(s))).toEqual(s);
    expect(serializeTemplateFilters({ types: [], tags: [], owners: [], q: "  " })).toBe("");
  });

  it("counts facet values, most used first", () => {
    const counts = facetCounts(cards, (c) => [c.type]);
    expect(counts[0]!.count).toBeGreaterThanOrEqual(counts[counts.length - 1]!.count);
    expect(counts.reduce((n, c) => n + c.count, 0)).toBe(cards.length);
  });
});

const task: ScaffolderTask = { id: "t1", status: "processing", createdAt: "2026-01-01T00:00:00Z", spec: { steps: [{ id: "a", name: "Fetch" }, { id: "b", name: "Publish" }] } };
const ev = (id: number, type: string, body: TaskEvent["body"], s = id): TaskEvent => ({ id, type, body, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString() });

describe("task event stream", () => {
  it("folds Backstage's events into step status, log and duration", () => {
    let v = initialView(task);
    expect(v.steps.map((s) => s.status)).toEqual(["open", "open"]);
    v = applyEvent(v, ev(1, "log", { stepId: "a", status: "processing", message: "Beginning step Fetch" }));
    v = applyEvent(v, ev(2, "log", { stepId: "a", message: "fetched 3 files" }));
    v = applyEvent(v, ev(4, "log", { stepId: "a", status: "completed", message: "Finished step Fetch" }));
    v = applyEvent(v, ev(5, "log", { stepId: "b", status: "processing", message: "Beginning step Publish" }));
    expect(v.steps[0]).toMatchObject({ status: "completed", log: ["Beginning step Fetch", "fetched 3 files", "Finished step Fetch"] });
    expect(stepDuration(v.steps[0]!, Date.now())).toBe("3.0 s");
    expect(v.steps[1]!.status).toBe("processing");
    v = applyEvent(v, ev(6, "completion", { message: "Run completed with status: completed", output: { links: [{ title: "Repo", url: "https://x" }] } }));
    expect(v).toMatchObject({ completed: true, status: "completed", output: { links: [{ title: "Repo" }] }, lastEventId: 6 });
    // A step still running when the task ended did not finish.
    expect(v.steps[1]!.status).toBe("failed");
  });

  it("records a failure with its error", () => {
    let v = applyEvent(initialView(task), ev(1, "log", { stepId: "a", status: "failed", message: "boom" }));
    v = applyEvent(v, ev(2, "completion", { message: "Run completed with status: failed", error: { name: "Error", message: "boom" } }));
    expect(v).toMatchObject({ status: "failed", error: { message: "boom" } });
    expect(v.steps[0]!.status).toBe("failed");
  });

  it("notes cancellation", () => {
    const v = applyEvent(initialView(task), ev(1, "cancelled", { message: "cancelled by user" }));
    expect(v.status).toBe("cancelled");
  });

  it("parses only event objects", () => {
    expect(parseEventData("nope")).toBeUndefined();
    expect(parseEventData("[1]")).toBeUndefined();
    expect(parseEventData('{"type":"log","id":3,"body":{"message":"x"},"createdAt":"2026-01-01T00:00:00Z"}')).toMatchObject({ id: 3, type: "log", body: { message: "x" } });
  });

  it("formats durations", () => {
    expect(formatDuration(350)).toBe("350 ms");
    expect(formatDuration(1234)).toBe("1.2 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
  });
});

describe("a finished task read later", () => {
  it("takes status, output and error from the task", async () => {
    const { withTaskResult } = await import("../../../web/src/lib/scaffolder/task-events");
    const done = { ...task, status: "completed" as const, output: { links: [{ title: "Repo", url: "https://x" }] } };
    expect(withTaskResult(initialView(task), done)).toMatchObject({ status: "completed", completed: true, output: { links: [{ title: "Repo" }] } });
    expect(withTaskResult(initialView(task), task).completed).toBe(false);
  });
});
