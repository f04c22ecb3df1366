import { describe, expect, it } from "vitest";
import type { Session } from "../../web/src/api/session";
import { ADMIN_SECTIONS, allowedSections, deniedMessage, describeCaller, findSection } from "../../web/src/lib/access";
import { describeImport, type ImportProgress, isRunning } from "../../web/src/lib/import-progress";
import { groupRefs, mergeChanges, ownedFilter } from "../../web/src/lib/ownership";
import type { ChangeItem } from "../../contract/catalog-api";

const member: Session = {
  type: "user",
  user: { ref: "user:default/maya.chen", login: "maya.chen", email: null, displayName: "Maya Chen", picture: null, hasEntity: true, source: "github" },
  ownershipRefs: ["user:default/maya.chen", "group:default/brightcart", "group:default/team-storefront"],
  roles: ["member"],
  permissions: ["catalog.entity.read", "catalog.location.read", "github.read"],
  ownerPermissions: ["catalog.entity.refresh"],
  expiresAt: null,
};

const progress = (p: Partial<ImportProgress>): ImportProgress => ({
  id: "i1",
  target: "acme",
  status: "running",
  listed: false,
  reposTotal: 0,
  reposDone: 0,
  filesTotal: 0,
  filesDone: 0,
  entities: 0,
  errors: 0,
  message: null,
  startedAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: null,
  ...p,
});

describe("admin sections from the session's permissions", () => {
  it("hides every section from a member and explains a direct link", () => {
    expect(allowedSections(member)).toEqual([]);
    expect(deniedMessage(findSection("tokens"))).toBe("You need the admin role to create and revoke service tokens.");
    expect(deniedMessage(findSection("nope"))).toBe("You need the admin role to use the admin area.");
    expect(describeCaller(member)).toBe("maya.chen (member)");
    expect(describeCaller(null)).toBe("not signed in");
  });

  it("lists exactly the sections whose permission the caller holds, in order", () => {
    const some = { ...member, permissions: [...member.permissions, "identity.audit.read", "github.admin"] };
    expect(allowedSections(some).map((s) => s.id)).toEqual(["imports", "audit"]);
    const admin = { ...member, roles: ["member", "admin"], permissions: ADMIN_SECTIONS.map((s) => s.permission) };
    expect(allowedSections(admin).map((s) => s.id)).toEqual(["locations", "imports", "dead-letters", "tokens", "audit"]);
  });
});

describe("import progress", () => {
  it("is indeterminate until the repositories are listed", () => {
    const v = describeImport(progress({ reposTotal: 3, reposDone: 1 }));
    expect(v).toMatchObject({ value: undefined, percent: null, orgData: false, summary: "0/0 files · 1/3+ repos" });
  });

  it("counts files once listed, and reports the outcome when done", () => {
    expect(describeImport(progress({ listed: true, reposTotal: 2, reposDone: 1, filesTotal: 8, filesDone: 2 }))).toMatchObject({ value: 2, max: 8, percent: 25 });
    const done = describeImport(progress({ status: "done", listed: true, reposTotal: 2, reposDone: 2, filesTotal: 8, filesDone: 8, entities: 7, errors: 1 }));
    expect(done).toMatchObject({ value: 8, max: 8, percent: 100, summary: "8/8 files · 2/2 repos · 7 entities · 1 processing error" });
  });

  it("names org-data imports by their org and counts teams and people", () => {
    const v = describeImport(progress({ target: "org-data:Initech", status: "done", listed: true, filesTotal: 5, filesDone: 5, entities: 5 }));
    expect(v).toMatchObject({ target: "Initech", orgData: true, summary: "5/5 teams and people · 5 entities · 0 processing errors" });
  });

  it("shows a failed import's bar empty rather than spinning", () => {
    expect(describeImport(progress({ status: "failed", message: "No organization named x" }))).toMatchObject({ value: 0, percent: null });
    expect(isRunning([progress({ status: "done" }), progress({})])).toBe(true);
    expect(isRunning([progress({ status: "failed" })])).toBe(false);
  });
});

describe("ownership claims", () => {
  it("picks the groups and builds one ORed relations.ownedBy filter", () => {
    expect(groupRefs(member.ownershipRefs)).toEqual(["group:default/brightcart", "group:default/team-storefront"]);
    expect(ownedFilter(member.ownershipRefs)).toBe("relations.ownedBy=user:default/maya.chen,relations.ownedBy=group:default/brightcart,relations.ownedBy=group:default/team-storefront");
    expect(ownedFilter([])).toBeNull();
  });

  it("merges per-owner change feeds newest first, each change once", () => {
    const c = (id: number, at: string): ChangeItem => ({ id, entityRef: `component:default/c${id}`, kind: "Component", owner: null, action: "updated", diff: null, location: "file:/catalog.yaml", commitSha: null, actor: null, createdAt: at });
    const merged = mergeChanges([[c(3, "2026-01-03T00:00:00Z"), c(1, "2026-01-01T00:00:00Z")], [c(3, "2026-01-03T00:00:00Z"), c(2, "2026-01-02T00:00:00Z")]], 2);
    expect(merged.map((x) => x.id)).toEqual([3, 2]);
  });
});
