/** Plugin components kept by loader (web/src/plugin-host/slot-cache.ts): what lets a preloaded page render at once. */
import { describe, expect, it } from "vitest";
import { loadComponent, loadedComponent, preloadSlot } from "../../web/src/plugin-host/slot-cache";

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("plugin slot cache", () => {
  it("keeps a preloaded component, so the slot has it before it renders", async () => {
    const Page = () => null;
    let calls = 0;
    const load = () => (calls++, Promise.resolve({ default: Page }));
    expect(loadedComponent(load)).toBeUndefined();
    preloadSlot(load);
    await tick();
    expect(loadedComponent(load)).toBe(Page);
    expect(await loadComponent(load)).toBe(Page);
    expect(calls).toBe(1);
  });

  it("keeps neither a failed load nor a module without a component, so Try again loads afresh", async () => {
    let fail = true;
    const Page = () => null;
    const load = () => (fail ? Promise.reject(new Error("chunk 404")) : Promise.resolve({ default: Page }));
    preloadSlot(load);
    await tick();
    expect(loadedComponent(load)).toBeUndefined();
    await expect(loadComponent(load)).rejects.toThrow("chunk 404");
    const empty = () => Promise.resolve({ default: undefined as never });
    await expect(loadComponent(empty)).rejects.toThrow("no default export component");
    expect(loadedComponent(empty)).toBeUndefined();
    fail = false;
    expect(await loadComponent(load)).toBe(Page);
  });
});
