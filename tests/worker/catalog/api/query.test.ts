import { beforeAll, describe, expect, it } from "vitest";
import { getJson, ingest } from "../../helpers";

// 30 components over 3 types, 2 owners, tags and annotations, plus 5 users: enough to page and filter.
const TYPES = ["service", "website", "library"];
function components(): string {
  const docs = [];
  for (let i = 0; i < 30; i++) {
    docs.push({
      apiVersion: "backstage.io/v1alpha1",
      kind: "Component",
      metadata: {
        name: `svc-${String(i).padStart(2, "0")}`,
        title: i % 5 === 0 ? `Payments Engine ${i}` : `Thing ${i}`,
        tags: i % 2 ? ["java"] : ["go", "grpc"],
        ...(i % 3 === 0 ? { annotations: { "github.com/project-slug": `acme/svc-${i}` } } : {}),
        labels: { tier: i < 10 ? "Gold" : "silver" },
      },
      spec: { type: TYPES[i % 3], lifecycle: "production", owner: i % 2 ? "team-odd" : "team-even" },
    });
  }
  for (let i = 0; i < 5; i++) {
    docs.push({ apiVersion: "backstage.io/v1alpha1", kind: "User", metadata: { name: `user-${i}` }, spec: { memberOf: ["team-odd"] } });
  }
  return docs.map((d) => JSON.stringify(d)).join("\n---\n");
}

const names = (items: { metadata: { name: string } }[]) => items.map((e) => e.metadata.name);

beforeAll(async () => {
  await ingest("/q", { "/q/all.yaml": components() });
});

describe("filter semantics", () => {
  it("ANDs statements inside one filter and matches values case-insensitively", async () => {
    const { body } = await getJson("/api/catalog/entities/by-query?filter=kind%3DCOMPONENT%2Cspec.type%3DService&fields=metadata.name&limit=100");
    expect(body.totalItems).toBe(10);
    expect(names(body.items).every((n: string) => Number(n.slice(4)) % 3 === 0)).toBe(true);
  });

  it("ORs repeated filter parameters", async () => {
    const { body } = await getJson("/api/catalog/entities/by-query?filter=kind%3Duser&filter=spec.type%3Dlibrary&limit=100&fields=kind");
    expect(body.totalItems).toBe(15);
  });

  it("ORs repeated keys inside one filter", async () => {
    const { body } = await getJson("/api/catalog/entities/by-query?filter=kind%3Dcomponent%2Cspec.type%3Dservice%2Cspec.type%3Dwebsite&limit=100");
    expect(body.totalItems).toBe(20);
  });

  it("supports existence filters on dotted annotation keys", async () => {
    const { body } = await getJson("/api/catalog/entities/by-query?filter=metadata.annotations.github.com%2Fproject-slug&limit=100");
    expect(body.totalItems).toBe(10);
  });

  it("matches labels and string array items (tags) both ways", async () => {
    expect((await getJson("/api/catalog/entities/by-query?filter=metadata.labels.tier%3Dgold")).body.totalItems).toBe(10);
    expect((await getJson("/api/catalog/entities/by-query?filter=metadata.tags%3Dgrpc")).body.totalItems).toBe(15);
    expect((await getJson("/api/catalog/entities/by-query?filter=metadata.tags.grpc")).body.totalItems).toBe(15);
  });

  it("filters on relations", async () => {
    const { body } = await getJson("/api/catalog/entities/by-query?filter=relations.ownedby%3Dgroup%3Adefault%2Fteam-odd&limit=100");
    expect(body.totalItems).toBe(15);
    const members = await getJson("/api/catalog/entities/by-query?filter=kind%3Duser%2Crelations.memberof%3Dgroup%3Adefault%2Fteam-odd");
    expect(members.body.totalItems).toBe(5);
  });

  it("rejects a statement with an empty key", async () => {
    const { status, body } = await getJson("/api/catalog/entities/by-query?filter=%3Dfoo");
    expect(status).toBe(400);
    expect(body.error).toEqual({ name: "InputError", message: "Invalid filter, '=foo' is not a valid statement (expected a string on the form a=b or a= or a)", requestId: expect.any(String) });
  });
});

describe("cursor paging", () => {
  it("pages through every match exactly once in order, then back", async () => {
    const seen: string[] = [];
    let url = "/api/catalog/entities/by-query?filter=kind%3Dcomponent&orderField=metadata.name,desc&limit=7&fields=metadata.name";
    const cursors: string[] = [];
    for (let page = 0; page < 10; page++) {
      const { status, body } = await getJson(url);
      expect(status).toBe(200);
      expect(body.totalItems).toBe(30);
      seen.push(...names(body.items));
      if (page === 0) expect(body.pageInfo.prevCursor).toBeUndefined();
      if (!body.pageInfo.nextCursor) break;
      cursors.push(body.pageInfo.nextCursor);
      url = `/api/catalog/entities/by-query?cursor=${encodeURIComponent(body.pageInfo.nextCursor)}&limit=7&fields=metadata.name`;
    }
    const expected = Array.from({ length: 30 }, (_, i) => `svc-${String(29 - i).padStart(2, "0")}`);
    expect(seen).toEqual(expected);
    // From the second page, prevCursor leads back to the first.
    const second = await getJson(`/api/catalog/entities/by-query?cursor=${encodeURIComponent(cursors[0])}&limit=7&fields=metadata.name`);
    const back = await getJson(`/api/catalog/entities/by-query?cursor=${encodeURIComponent(second.body.pageInfo.prevCursor)}&limit=7&fields=metadata.name`);
    expect(names(back.body.items)).toEqual(expected.slice(0, 7));
  });

  it("encodes cursors as base64 JSON without a query key (catalog-client reads them)", async () => {
    const { body } = await getJson("/api/catalog/entities/by-query?limit=1");
    const decoded = JSON.parse(atob(body.pageInfo.nextCursor));
    expect(decoded).not.toHaveProperty("query");
  });

  it("pages by insertion order when no order field is given", async () => {
    const first = await getJson("/api/catalog/entities/by-query?limit=20&fields=metadata.name");
    const second = await getJson(`/api/catalog/entities/by-query?limit=20&fields=metadata.name&cursor=${encodeURIComponent(first.body.pageInfo.nextCursor)}`);
    const all = [...names(first.body.items), ...names(second.body.items)];
    expect(new Set(all).size).toBe(all.length);
    expect(second.body.pageInfo.nextCursor).toBeUndefined();
  });

  it("answers 400 for a malformed cursor and totalItems=exclude gives 0", async () => {
    expect((await getJson("/api/catalog/entities/by-query?cursor=not-base64!!")).status).toBe(400);
    expect((await getJson("/api/catalog/entities/by-query?totalItems=exclude&limit=1")).body.totalItems).toBe(0);
  });
});

describe("full text filter", () => {
  it("matches a substring of the given fields, case-insensitively", async () => {
    const { body } = await getJson("/api/catalog/entities/by-query?fullTextFilterTerm=%20PAYMENTS%20&fullTextFilterFields=metadata.name,metadata.title&limit=100");
    expect(body.totalItems).toBe(6);
  });

  it("uses the order field as the default full text field", async () => {
    const { body } = await getJson("/api/catalog/entities/by-query?fullTextFilterTerm=svc-1&orderField=metadata.name,asc&limit=100&fields=metadata.name");
    expect(names(body.items)).toEqual(["svc-10", "svc-11", "svc-12", "svc-13", "svc-14", "svc-15", "svc-16", "svc-17", "svc-18", "svc-19"]);
  });

  it("handles short terms and fields outside the full-text index", async () => {
    const { body } = await getJson("/api/catalog/entities/by-query?fullTextFilterTerm=go&fullTextFilterFields=metadata.tags&limit=100");
    expect(body.totalItems).toBe(15);
    const owners = await getJson("/api/catalog/entities/by-query?fullTextFilterTerm=odd&fullTextFilterFields=spec.owner&limit=100");
    expect(owners.body.totalItems).toBe(15);
  });
});
