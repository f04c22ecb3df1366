import { describe, expect, it } from "vitest";
import { resolvePlaceholders } from "../../../../worker/catalog/placeholders";
import type { FileReader, LocationSpec } from "../../../../worker/catalog/types";
import { RetryableError } from "../../../../worker/github/errors";

const BASE: LocationSpec = { type: "url", target: "https://github.com/o/r/blob/main/apis/catalog-info.yaml" };

function reader(files: Record<string, string>): FileReader & { calls: string[] } {
  const calls: string[] = [];
  const read = (async (location: LocationSpec) => {
    calls.push(`${location.type}:${location.target}`);
    return files[location.target];
  }) as FileReader & { calls: string[] };
  read.calls = calls;
  return read;
}

describe("resolvePlaceholders (§C.6)", () => {
  it("resolves $text, $json and $yaml relative to the entity's file, recursively", async () => {
    const read = reader({
      "https://github.com/o/r/tree/main/apis/openapi.yaml": "openapi: 3.0.0\n",
      "https://github.com/o/r/tree/main/shared/meta.json": '{"a": [1, 2]}',
      "https://github.com/o/r/tree/main/extra.yaml": "x: 1\n",
    });
    const result = await resolvePlaceholders(
      { spec: { definition: { $text: "./openapi.yaml" }, list: [{ $json: "../shared/meta.json" }], deep: { $yaml: "/extra.yaml" } } },
      BASE,
      read,
    );
    expect(result.problems).toEqual([]);
    expect(result.value).toEqual({ spec: { definition: "openapi: 3.0.0\n", list: [{ a: [1, 2] }], deep: { x: 1 } } });
    expect(result.reads.sort()).toEqual(read.calls.sort());
  });

  it("leaves unknown $keys and objects with several keys alone", async () => {
    const input = { schema: { $ref: "#/definitions/x" }, both: { $text: "./a", other: 1 } };
    const read = reader({});
    const result = await resolvePlaceholders(input, BASE, read);
    expect(result).toEqual({ value: input, problems: [], reads: [], resolved: [] });
    expect(read.calls).toEqual([]);
  });

  it("reports a missing file on the placeholder's field", async () => {
    const result = await resolvePlaceholders({ spec: { definition: { $text: "./missing.yaml" } } }, BASE, reader({}));
    expect(result.problems).toEqual([
      {
        field: "spec.definition",
        message: "Placeholder $text could not read location ./missing.yaml, NotFoundError: no file found at https://github.com/o/r/tree/main/apis/missing.yaml",
      },
    ]);
  });

  it("rejects placeholders reaching into another GitHub repository", async () => {
    const read = reader({ "https://github.com/evil/repo/blob/main/secret.txt": "s" });
    const result = await resolvePlaceholders({ spec: { definition: { $text: "https://github.com/evil/repo/blob/main/secret.txt" } } }, BASE, read);
    expect(result.problems).toEqual([
      { field: "spec.definition", message: "Placeholder may only reference files from the same repository as the entity" },
    ]);
    expect(read.calls).toEqual([]);
  });

  it("allows absolute URLs in the same repository and plain web URLs elsewhere", async () => {
    const read = reader({
      "https://github.com/o/r/tree/main/x.txt": "same",
      "https://example.com/spec.txt": "web",
    });
    const result = await resolvePlaceholders(
      { a: { $text: "https://github.com/o/r/blob/main/x.txt" }, b: { $text: "https://example.com/spec.txt" } },
      BASE,
      read,
    );
    expect(result.problems).toEqual([]);
    expect(result.value).toEqual({ a: "same", b: "web" });
  });

  it("reports bad parameters, bad JSON and multi-document YAML", async () => {
    const read = reader({
      "https://github.com/o/r/tree/main/apis/bad.json": "{nope",
      "https://github.com/o/r/tree/main/apis/two.yaml": "a: 1\n---\nb: 2\n",
    });
    const result = await resolvePlaceholders({ a: { $text: 5 }, b: { $json: "./bad.json" }, c: { $yaml: "./two.yaml" } }, BASE, read);
    expect(result.problems.map((p) => p.field)).toEqual(["a", "b", "c"]);
    expect(result.problems[0].message).toBe(
      "Placeholder $text expected a string value parameter, in the form of an absolute URL or a relative path",
    );
    expect(result.problems[1].message).toMatch(/^Placeholder \$json failed to parse JSON data at \.\/bad\.json, /);
    expect(result.problems[2].message).toBe("Placeholder $yaml expected to find exactly one document of data at ./two.yaml, found 2");
  });

  it("resolves file locations relative to the file's folder", async () => {
    const read = reader({ "/repo/apis/openapi.yaml": "spec" });
    const result = await resolvePlaceholders({ d: { $text: "./openapi.yaml" } }, { type: "file", target: "/repo/apis/catalog.yaml" }, read);
    expect(result.value).toEqual({ d: "spec" });
    expect(read.calls).toEqual(["file:/repo/apis/openapi.yaml"]);
  });

  it("reports a reader that throws, quoting only the worker's own typed errors", async () => {
    const typed: FileReader = async () => {
      throw new RetryableError("GitHub answered HTTP 502 on /repos/o/r/contents/x", 10);
    };
    const result = await resolvePlaceholders({ d: { $text: "./x" } }, BASE, typed);
    expect(result.problems).toEqual([{ field: "d", message: "Placeholder $text could not read location ./x, RetryableError: GitHub answered HTTP 502 on /repos/o/r/contents/x" }]);
    // Anything else may carry what it read (a body, a parser's excerpt of it): it is not repeated.
    const untyped: FileReader = async () => {
      throw new Error("secret body text");
    };
    const hidden = await resolvePlaceholders({ d: { $text: "./x" } }, BASE, untyped);
    expect(hidden.problems).toEqual([{ field: "d", message: "Placeholder $text could not read location ./x, the read failed" }]);
  });
});
