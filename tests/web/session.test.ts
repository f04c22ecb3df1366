import { describe, expect, it, vi } from "vitest";
import { fetchSession, githubSignInUrl } from "../../web/src/api/session";
import { initials, returnPath } from "../../web/src/lib/session";

describe("session helpers", () => {
  it("makes avatar initials from a name, a login or a ref", () => {
    expect(initials("Ada Lovelace")).toBe("AL");
    expect(initials("Grace Brewster Hopper")).toBe("GH");
    expect(initials("octocat")).toBe("O");
    expect(initials("user:default/jane-doe")).toBe("JD");
    expect(initials("")).toBe("?");
  });

  it("returns only to a path on the portal, never to the sign-in page", () => {
    expect(returnPath("/catalog", "?kind=api")).toBe("/catalog?kind=api");
    expect(returnPath("/sign-in", "?error=x")).toBe("/");
    expect(returnPath("//evil.example", "")).toBe("/");
    expect(githubSignInUrl("/catalog?kind=api")).toBe("/api/auth/github/start?returnTo=%2Fcatalog%3Fkind%3Dapi");
  });

  it("reads a 401 from the session endpoint as nobody signed in, and other failures as errors", async () => {
    const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    const spy = vi.spyOn(globalThis, "fetch");
    try {
      spy.mockResolvedValueOnce(answer(401, { error: { name: "AuthenticationError", message: "Not signed in" }, request: {}, response: { statusCode: 401 } }));
      expect(await fetchSession()).toBeNull();
      spy.mockResolvedValueOnce(answer(200, { type: "user", user: { ref: "user:default/a" } }));
      expect(await fetchSession()).toMatchObject({ user: { ref: "user:default/a" } });
      spy.mockResolvedValueOnce(answer(503, { error: { name: "ServiceUnavailableError", message: "refuses" }, request: {}, response: { statusCode: 503 } }));
      await expect(fetchSession()).rejects.toMatchObject({ name: "ServiceUnavailableError" });
    } finally {
      spy.mockRestore();
    }
  });
});
