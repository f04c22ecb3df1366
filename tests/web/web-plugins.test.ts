/**
 * The shipped WEB_PLUGINS are well-formed: the host skips a slot without a component (so a typo would hide a
 * tab silently), so every declared page, tab and card must have its component and the other way round.
 */
import { describe, expect, it } from "vitest";
import { PLUGIN_ID } from "../../contract/plugin";
import { CORE_TAB_IDS, pageSlots } from "../../web/src/plugin-host/slots";
import { WEB_PLUGINS } from "../../web/src/plugins";

const keys = (table: Record<string, unknown> | undefined) => Object.keys(table ?? {}).sort();

describe("the shipped web plugins", () => {
  it("have valid, unique ids", () => {
    const ids = WEB_PLUGINS.map((p) => p.manifest.id);
    for (const id of ids) expect(PLUGIN_ID.test(id) && id.length <= 40, id).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(WEB_PLUGINS.map((p) => [p.manifest.id, p] as const))("%s: every declared page, tab and card has a component, and each component is declared", (_id, p) => {
    expect(keys(p.pages)).toEqual((p.manifest.nav ?? []).map((n) => n.path).sort());
    expect(keys(p.entityTabs)).toEqual((p.manifest.entityTabs ?? []).map((t) => t.id).sort());
    expect(keys(p.entityCards)).toEqual((p.manifest.entityCards ?? []).map((c) => c.id).sort());
    for (const t of p.manifest.entityTabs ?? []) expect(CORE_TAB_IDS).not.toContain(t.id);
  });

  it("all get their pages routed: no path collides with the core's or another plugin's", () => {
    const declared = WEB_PLUGINS.flatMap((p) => p.manifest.nav ?? []).length;
    expect(pageSlots(WEB_PLUGINS)).toHaveLength(declared);
  });
});
