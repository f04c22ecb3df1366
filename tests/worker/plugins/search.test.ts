/**
 * Plugin search on the real D1 FTS5 index (migration 0012): index/replace/remove/removeEntity, bm25 order,
 * <mark> snippets with everything else escaped, the per-plugin document quota and input bounds, isolation
 * between plugins, and (fast-check) that no query text makes FTS5 fail.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import fc from "fast-check";
import { ApiError } from "../../../worker/errors";
import { createPluginSearch, DEFAULT_SEARCH_LIMITS } from "../../../worker/plugins/context/search";
import { ftsMatchExpression } from "../../../worker/plugins/search/query";
import type { SearchDocument } from "../../../worker/plugins/api";
import { uniq } from "../helpers";

const search = (id: string, limits = DEFAULT_SEARCH_LIMITS) => createPluginSearch(env.DB, id, limits);
const doc = (id: string, over: Partial<SearchDocument> = {}): SearchDocument => ({
  id,
  entityRef: "component:default/svc",
  title: `Title ${id}`,
  text: "plain words",
  path: `/docs/default/component/svc/${id}`,
  ...over,
});

async function rejects(p: Promise<unknown>, name: string, message?: RegExp) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).name).toBe(name);
  if (message) expect((err as ApiError).message).toMatch(message);
}

describe("plugin search", () => {
  it("finds indexed documents by words and prefixes, ranked with bm25 (title above text)", async () => {
    const s = search(uniq("s"));
    await s.index([
      doc("body", { text: "How to deploy the frobnicator service to production" }),
      doc("title", { title: "Frobnicator deployment guide", text: "Read this first" }),
      doc("other", { text: "Unrelated content about databases" }),
    ]);
    const hits = await s.query("frobnicator");
    expect(hits.map((h) => h.id)).toEqual(["title", "body"]);
    expect((await s.query("frobni")).map((h) => h.id).sort()).toEqual(["body", "title"]);
    expect((await s.query("deploy frobnicator production")).map((h) => h.id)).toEqual(["body"]);
    expect(hits[1]).toEqual({
      id: "body",
      entityRef: "component:default/svc",
      title: "Title body",
      section: null,
      path: "/docs/default/component/svc/body",
      snippet: expect.stringContaining("<mark>frobnicator</mark>"),
    });
  });

  it("folds case and diacritics (unicode61)", async () => {
    const s = search(uniq("s"));
    await s.index([doc("cafe", { text: "Le Café de Flore", section: "Über uns" })]);
    expect((await s.query("cafe")).map((h) => h.id)).toEqual(["cafe"]);
    expect((await s.query("UBER")).map((h) => h.id)).toEqual(["cafe"]);
  });

  it("escapes everything in the snippet but its <mark> tags", async () => {
    const s = search(uniq("s"));
    await s.index([doc("xss", { text: `<script>alert("needle")</script> & <b>needle</b> \u0001forged\u0002` })]);
    const [hit] = await s.query("needle");
    expect(hit.snippet).not.toMatch(/<(?!\/?mark>)/);
    expect(hit.snippet).toContain("&#60;script&#62;");
    expect(hit.snippet).toContain("<mark>needle</mark>");
    expect(hit.snippet).not.toContain("<mark>forged</mark>");
  });

  it("replaces a document with the same id, removes by id and by entity", async () => {
    const s = search(uniq("s"));
    await s.index([doc("a", { text: "alpha" }), doc("b", { text: "alpha", entityRef: "Component:default/Other" }), doc("c", { text: "alpha" })]);
    await s.index([doc("a", { text: "omega" })]);
    expect((await s.query("alpha")).map((h) => h.id).sort()).toEqual(["b", "c"]);
    expect((await s.query("omega")).map((h) => h.id)).toEqual(["a"]);
    expect((await s.query("alpha", { entityRef: "component:default/other" })).map((h) => h.entityRef)).toEqual(["component:default/other"]);
    await s.remove(["c", "nope"]);
    expect((await s.query("alpha")).map((h) => h.id)).toEqual(["b"]);
    await s.removeEntity("component:default/OTHER");
    expect(await s.query("alpha")).toEqual([]);
    expect((await s.query("omega")).length).toBe(1);
  });

  it("keeps plugins' documents apart: a cannot find or remove b's", async () => {
    const a = search(uniq("a"));
    const b = search(uniq("b"));
    await b.index([doc("same-id", { text: "zebra secret" })]);
    await a.index([doc("same-id", { text: "zebra public" })]);
    expect((await a.query("zebra")).map((h) => h.snippet)).toEqual([expect.stringContaining("public")]);
    await a.remove(["same-id"]);
    await a.removeEntity("component:default/svc");
    expect((await b.query("zebra")).map((h) => h.snippet)).toEqual([expect.stringContaining("secret")]);
  });

  it("caps documents per plugin and the size of each, with 4xx errors", async () => {
    const s = search(uniq("s"), { maxDocs: 3, maxTextChars: 100, maxBatch: 5 });
    await s.index([doc("1"), doc("2"), doc("3")]);
    await s.index([doc("3", { text: "replacing counts nothing new" })]);
    await rejects(s.index([doc("4")]), "QuotaExceededError", /3 of 3 documents; this call adds 1/);
    await rejects(s.index([doc("x", { text: "y".repeat(101) })]), "PayloadTooLargeError");
    await rejects(s.index(Array.from({ length: 6 }, (_, i) => doc(`m${i}`))), "PayloadTooLargeError", /at most 5/);
  });

  it("refuses malformed documents and options", async () => {
    const s = search(uniq("s"));
    const bad: Partial<SearchDocument>[] = [
      { id: "" },
      { entityRef: "component:" },
      { entityRef: "svc" },
      { entityRef: "" },
      { title: "" },
      { path: "https://evil.example/x" },
      { path: "//evil.example/x" },
      { path: "relative" },
      { text: 5 as unknown as string },
      { id: "\uD800" },
    ];
    for (const over of bad) await rejects(s.index([doc("x", over)]), "InputError");
    await rejects(s.index("nope" as unknown as SearchDocument[]), "InputError");
    await rejects(s.query("x", { limit: 0 }), "InputError");
    await rejects(s.query("x", { limit: 101 }), "InputError");
    await rejects(s.query(7 as unknown as string), "InputError");
    await rejects(s.removeEntity(""), "InputError");
  });

  it("answers any query text without an FTS5 error (property)", async () => {
    const s = search(uniq("s"));
    await s.index([doc("p", { text: "needle in a haystack with AND OR NOT NEAR quotes \" and * stars" })]);
    const nasty = fc.constantFrom('"', "*", "AND", "OR", "NOT", "NEAR(", "(", ")", ":", "^", "-", "+", "title:", "\u0000", "\u0301", "\uD800", "{", "}", "'", "\\", "NEAR", "col:x");
    const text = fc.oneof(fc.string({ maxLength: 60, unit: "grapheme" }), fc.string({ maxLength: 60, unit: "binary" }), fc.array(fc.oneof(nasty, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((a) => a.join(" ")), fc.array(nasty, { maxLength: 10 }).map((a) => a.join("")));
    await fc.assert(
      fc.asyncProperty(text, async (q) => {
        const hits = await s.query(q);
        expect(Array.isArray(hits)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect((await s.query('needle" OR "x')).map((h) => h.id)).toEqual([]); // every word is required, `"` is not syntax
    expect((await s.query("needle* AND haystack")).map((h) => h.id)).toEqual(["p"]);
  });

  it("builds only quoted phrases into the MATCH expression", () => {
    expect(ftsMatchExpression('foo "bar" OR baz*')).toBe('"foo" "bar" "OR" "baz"*');
    expect(ftsMatchExpression("  ")).toBeNull();
    expect(ftsMatchExpression("*** () ::")).toBeNull();
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (q) => {
        const m = ftsMatchExpression(q);
        if (m !== null) expect(m).toMatch(/^("[\p{L}\p{N}\p{M}]+"\*? ?)+$/u);
      }),
    );
  });
});
