import { describe, expect, it } from "vitest";
import { MAX_YAML_BYTES, parseYamlDocuments } from "../../../../worker/catalog/parse-yaml";

describe("parseYamlDocuments", () => {
  it("splits documents, skips empty ones but keeps indexes stable, and reports each start line", () => {
    const result = parseYamlDocuments("# header\n---\na: 1\n---\n---\n\nb: [x]\n---\n");
    expect(result.error).toBeUndefined();
    expect(result.documents).toEqual([
      { value: { a: 1 }, line: 3, index: 0 },
      { value: { b: ["x"] }, line: 7, index: 2 },
    ]);
  });

  it("uses the YAML 1.2 core schema: dates stay strings, no custom tags", () => {
    expect(parseYamlDocuments("d: 2024-01-01\nn: ~\nb: yes\n").documents[0].value).toEqual({ d: "2024-01-01", n: null, b: "yes" });
    const tagged = parseYamlDocuments('a: !!js/function "function () {}"\n');
    expect(tagged.documents).toEqual([]);
    expect(tagged.error?.message).toContain("unknown scalar tag");
    expect(parseYamlDocuments("a: !custom x\n").error?.line).toBe(1);
  });

  it("rejects duplicate keys with the line of the duplicate", () => {
    const result = parseYamlDocuments("a: 1\nb:\n  c: 1\n  c: 2\n");
    expect(result.error).toMatchObject({ line: 4, index: 0 });
    expect(result.error?.message).toContain("duplicated mapping key");
  });

  it("keeps the good documents of a file with one broken document", () => {
    const result = parseYamlDocuments("a: 1\n---\nb: [unclosed\n---\nc: 3\n");
    expect(result.documents).toEqual([
      { value: { a: 1 }, line: 1, index: 0 },
      { value: { c: 3 }, line: 5, index: 2 },
    ]);
    expect(result.errors).toHaveLength(1);
    expect(result.error).toMatchObject({ index: 1 });
    expect(result.error?.line).toBeGreaterThanOrEqual(3);
  });

  it("salvages a broken file that starts with blank lines above its first marker (this used to loop forever)", () => {
    for (const content of ["\n---\na: [", "\n\n---\nb: 2\n---\na: [", "\n# note\n\n---\nc: 3\n---\n: : ["]) {
      const result = parseYamlDocuments(content);
      expect(result.errors?.length).toBeGreaterThan(0);
    }
    expect(parseYamlDocuments("\n\n---\nb: 2\n---\na: [").documents.map((d) => d.value)).toEqual([{ b: 2 }]);
  });

  it("keeps a %YAML directive with the document it introduces when salvaging", () => {
    const result = parseYamlDocuments("a: 1\n...\n%YAML 1.2\n# note\n---\nb: !!binary aGk=\n---\nc: 3\n");
    expect(result.documents.map((d) => [d.index, d.value])).toEqual([
      [0, { a: 1 }],
      [2, { c: 3 }],
    ]);
    expect(result.errors).toEqual([{ message: expect.stringContaining("unknown scalar tag"), line: 6, index: 1 }]);
  });

  it("returns an error fast for a billion-laughs document", () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    const started = Date.now();
    const result = parseYamlDocuments(levels.join("\n") + "\n");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.documents).toEqual([]);
    expect(result.error?.message).toMatch(/YAML aliases expand to more than/);
  });

  it("rejects a self-referencing anchor instead of looping", () => {
    const result = parseYamlDocuments("a: &x\n  b: *x\n");
    expect(result.documents).toEqual([]);
    expect(result.error).toBeDefined();
  });

  it("expands small aliases into independent copies", () => {
    const value = parseYamlDocuments("base: &b {x: 1}\nother: *b\n").documents[0].value as Record<string, Record<string, number>>;
    expect(value).toEqual({ base: { x: 1 }, other: { x: 1 } });
    expect(value.base).not.toBe(value.other);
  });

  it("bounds nesting depth", () => {
    const deep = "[".repeat(100) + "]".repeat(100);
    expect(parseYamlDocuments(deep).error?.message).toMatch(/maxDepth|deeper/);
    expect(parseYamlDocuments("[".repeat(30) + "]".repeat(30)).error).toBeUndefined();
  });

  it("rejects files over 4 MB without parsing them", () => {
    const result = parseYamlDocuments("a: " + "x".repeat(MAX_YAML_BYTES));
    expect(result).toEqual({
      documents: [],
      error: { message: `File is too large (${MAX_YAML_BYTES + 3} bytes); the limit is ${MAX_YAML_BYTES} bytes`, line: null },
      errors: [{ message: `File is too large (${MAX_YAML_BYTES + 3} bytes); the limit is ${MAX_YAML_BYTES} bytes`, line: null }],
    });
  });

  it("keeps a __proto__ key as data", () => {
    const value = parseYamlDocuments("__proto__: {polluted: true}\n").documents[0].value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("turns non-finite numbers into null like JSON", () => {
    expect(parseYamlDocuments("a: .inf\nb: .nan\n").documents[0].value).toEqual({ a: null, b: null });
  });

  it("returns nothing for an empty file", () => {
    expect(parseYamlDocuments("")).toEqual({ documents: [] });
    expect(parseYamlDocuments("# only a comment\n")).toEqual({ documents: [] });
  });
});
