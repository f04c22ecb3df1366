/**
 * D1 Sessions (worker/db/session.ts): every answer carries the session's bookmark, a write also sets it as a
 * cookie, and a client that sends it back (header or cookie) reads its own writes. A bookmark that is not
 * one is ignored, never an error.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ADMIN, api, component, memberSession, postJson, uniq } from "../helpers";

const BOOKMARK_COOKIE = /^edgestage-d1-bookmark=([^;]+); Path=\/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax$/;

describe("D1 sessions and bookmarks", () => {
  it("hands out a bookmark on reads (header) and writes (header and cookie), and reads a client's own writes with it", async () => {
    const read = await api("/api/catalog/entities/by-query?limit=1");
    expect(read.status).toBe(200);
    const first = read.headers.get("x-d1-bookmark");
    expect(first).toMatch(/^[A-Za-z0-9._:-]+$/);
    expect(read.headers.getSetCookie().some((c) => c.startsWith("edgestage-d1-bookmark="))).toBe(false);

    const root = `/${uniq("bm")}`;
    const a = uniq("a");
    const write = await postJson("/api/catalog/ingest", { location: { type: "file", target: root }, files: [{ target: `${root}/c.yaml`, content: component(a) }], roots: [`${root}/c.yaml`] });
    expect(write.status).toBe(200);
    const res = await api("/api/catalog/ingest", {
      method: "POST",
      headers: { "content-type": "application/json", ...ADMIN, "x-d1-bookmark": first! },
      body: JSON.stringify({ location: { type: "file", target: root }, files: [{ target: `${root}/c.yaml`, content: component(a, { lifecycle: "experimental" }) }], roots: [`${root}/c.yaml`] }),
    });
    expect(res.status).toBe(200);
    const afterWrite = res.headers.get("x-d1-bookmark")!;
    expect(afterWrite >= first!).toBe(true); // bookmarks sort oldest to newest
    const cookie = res.headers.getSetCookie().map((c) => BOOKMARK_COOKIE.exec(c)).find(Boolean);
    expect(cookie?.[1]).toBe(afterWrite);

    const session = await memberSession();
    const inits: RequestInit[] = [{ headers: { "x-d1-bookmark": afterWrite } }, { headers: { cookie: `${session}; edgestage-d1-bookmark=${afterWrite}` } }];
    for (const init of inits) {
      const mine = await api(`/api/catalog/entities/by-name/component/default/${a}`, init);
      expect((await mine.json<any>()).spec.lifecycle).toBe("experimental");
      expect(mine.headers.get("x-d1-bookmark")! >= afterWrite).toBe(true);
      // A cached answer is only served when the tags were read at least at the client's bookmark.
      const page = await api(`/api/catalog/entities/by-query?filter=metadata.name%3D${a}`, init);
      expect((await page.json<any>()).items[0].spec.lifecycle).toBe("experimental");
    }
  });

  it("treats POST /entities/by-refs as the read it is: the session's bookmark in the header, no write cookie", async () => {
    const root = `/${uniq("bm")}`;
    const a = uniq("a");
    expect((await postJson("/api/catalog/ingest", { location: { type: "file", target: root }, files: [{ target: `${root}/c.yaml`, content: component(a) }], roots: [`${root}/c.yaml`] })).status).toBe(200);
    const session = await memberSession();
    for (let i = 0; i < 2; i++) {
      // The second is a read-cache hit, answered before the route runs: it is a read all the same.
      const res = await api("/api/catalog/entities/by-refs", { method: "POST", headers: { "content-type": "application/json", cookie: session }, body: JSON.stringify({ entityRefs: [`component:default/${a}`] }) });
      expect(res.status).toBe(200);
      expect((await res.json<any>()).items[0].metadata.name).toBe(a);
      expect(res.headers.get("x-d1-bookmark")).toMatch(/^[A-Za-z0-9._:-]+$/);
      expect(res.headers.getSetCookie().some((c) => c.startsWith("edgestage-d1-bookmark="))).toBe(false);
    }
  });

  it("ignores anything that is not a bookmark", async () => {
    const session = await memberSession();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (junk) => {
        let res: Response;
        try {
          res = await api("/api/catalog/entities/by-query?limit=1", { headers: { "x-d1-bookmark": junk, cookie: `${session}; edgestage-d1-bookmark=${encodeURIComponent(junk)}` } });
        } catch {
          return; // a header value fetch itself refuses (control characters) never reaches the worker
        }
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }),
      { numRuns: 40 },
    );
  });
});
