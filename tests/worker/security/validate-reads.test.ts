/**
 * Who may make validate-entity read files: the decision is the policy's, on the caller the identity step
 * resolved (a session, a service token, the admin token), not on the Authorization header alone.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, postJson } from "../helpers";
import { HOST, installCatalogHost, type CatalogHost } from "./fault-host";

let host: CatalogHost;
beforeAll(() => {
  host = installCatalogHost();
  host.files.set("/validate/description.txt", "from the catalog host");
});

const body = {
  location: `url:${HOST}/validate/catalog-info.yaml`,
  entity: { apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "validated" }, spec: { type: "service", lifecycle: "production", owner: "team-a", notes: { $text: "./description.txt" } } },
};

async function tokenWith(scopes: string[]): Promise<Record<string, string>> {
  const { status, body: created } = await postJson("/api/auth/tokens", { name: `validate ${scopes.join(" ")}`, scopes }, ADMIN);
  expect(status).toBe(201);
  return { authorization: `Bearer ${created.token}` };
}

describe("validate-entity reads", () => {
  it("resolves placeholders for a service token that may register locations, and not for one that may only validate", async () => {
    const before = host.requests.length;
    const allowed = await postJson("/api/catalog/validate-entity", body, await tokenWith(["catalog.entity.validate", "catalog.location.create"]));
    expect(allowed.status).toBe(200);
    expect(host.requests.slice(before)).toEqual(["/validate/description.txt"]);

    const refused = await postJson("/api/catalog/validate-entity", body, await tokenWith(["catalog.entity.validate"]));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("catalog.location.create permission");
    expect(host.requests.slice(before)).toEqual(["/validate/description.txt"]);
  });
});
