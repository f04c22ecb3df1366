import { describe, expect, it } from "vitest";
import {
  defaultLocationAnnotations,
  generatedLocationEntity,
  generatedLocationName,
  joinPath,
  parseLocationRef,
  resolveLocationTarget,
  resolveUrl,
} from "../../../../worker/catalog/location-url";

const BASE = "https://github.com/o/r/blob/main/dir/catalog-info.yaml";

describe("resolveLocationTarget (§C.2)", () => {
  const url = { type: "url", target: BASE };
  it.each([
    ["./components/x.yaml", "https://github.com/o/r/tree/main/dir/components/x.yaml"],
    ["components/x.yaml", "https://github.com/o/r/tree/main/dir/components/x.yaml"],
    ["../y.yaml", "https://github.com/o/r/tree/main/y.yaml"],
    ["/root.yaml", "https://github.com/o/r/tree/main/root.yaml"],
    ["https://example.com/a/b.yaml", "https://example.com/a/b.yaml"],
    ["https://github.com/x/y/tree/dev/c.yaml", "https://github.com/x/y/tree/dev/c.yaml"],
  ])("resolves %s against a GitHub blob URL", (target, expected) => {
    expect(resolveLocationTarget(url, "url", target)).toBe(expected);
  });

  it("rewrites absolute GitHub blob URLs to tree, as the integration's resolveUrl does", () => {
    expect(resolveLocationTarget(url, "url", "https://github.com/x/y/blob/main/c.yaml")).toBe("https://github.com/x/y/tree/main/c.yaml");
  });

  it("resolves against non-GitHub URLs without rewriting", () => {
    expect(resolveUrl("./x.yaml", "https://example.com/a/blob/b/catalog.yaml?token=1")).toBe("https://example.com/a/blob/b/x.yaml?token=1");
  });

  it("joins file targets starting with . to the base folder and leaves others alone", () => {
    const file = { type: "file", target: "/data/examples/all.yaml" };
    expect(resolveLocationTarget(file, "file", "./apis/a.yaml")).toBe("/data/examples/apis/a.yaml");
    expect(resolveLocationTarget(file, "file", "../org.yaml")).toBe("/data/org.yaml");
    expect(resolveLocationTarget(file, "file", "/abs/x.yaml")).toBe("/abs/x.yaml");
    expect(resolveLocationTarget(file, "file", "plain.yaml")).toBe("plain.yaml");
  });

  it("uses targets of a different type unchanged", () => {
    expect(resolveLocationTarget({ type: "file", target: "/a/b.yaml" }, "url", "./x.yaml")).toBe("./x.yaml");
  });

  it("joins POSIX paths", () => {
    expect(joinPath("/a/b", "./c/../d")).toBe("/a/b/d");
    expect(joinPath("a", "../../x")).toBe("../x");
  });
});

describe("defaultLocationAnnotations (§C.3)", () => {
  it("adds view-url, edit-url and source-location for GitHub URLs", () => {
    expect(defaultLocationAnnotations({ type: "url", target: BASE })).toEqual({
      "backstage.io/view-url": BASE,
      "backstage.io/edit-url": "https://github.com/o/r/edit/main/dir/catalog-info.yaml",
      "backstage.io/source-location": "url:https://github.com/o/r/tree/main/dir/",
    });
  });
  it("omits edit-url when the URL is pinned to a commit SHA", () => {
    const pinned = "https://github.com/o/r/blob/0123456789abcdef0123456789abcdef01234567/catalog-info.yaml";
    expect(defaultLocationAnnotations({ type: "url", target: pinned })).toEqual({
      "backstage.io/view-url": pinned,
      "backstage.io/source-location": "url:https://github.com/o/r/tree/0123456789abcdef0123456789abcdef01234567/",
    });
  });
  it("adds only view-url for URLs outside an SCM integration, and nothing for files", () => {
    expect(defaultLocationAnnotations({ type: "url", target: "https://example.com/c.yaml" })).toEqual({
      "backstage.io/view-url": "https://example.com/c.yaml",
    });
    expect(defaultLocationAnnotations({ type: "file", target: "/a/c.yaml" })).toEqual({});
  });
});

describe("generated Location entities (§C.1)", () => {
  it("names them generated-<sha1 of type:target>", async () => {
    // sha1("url:https://example.com/catalog-info.yaml"), computed independently with sha1sum
    expect(await generatedLocationName("url", "https://example.com/catalog-info.yaml")).toBe("generated-94fde8d1a3274d54a87afa4868abb452412d59c6");
    expect(await generatedLocationName("url", "x")).toMatch(/^generated-[0-9a-f]{40}$/);
    expect(await generatedLocationName("url", "x")).toBe(await generatedLocationName("url", "x"));
    expect(await generatedLocationName("url", "x")).not.toBe(await generatedLocationName("file", "x"));
  });
  it("builds the synthetic Location entity", async () => {
    const entity = await generatedLocationEntity({ type: "url", target: BASE });
    expect(entity).toEqual({
      apiVersion: "backstage.io/v1alpha1",
      kind: "Location",
      metadata: {
        name: await generatedLocationName("url", BASE),
        namespace: "default",
        annotations: { "backstage.io/managed-by-location": `url:${BASE}`, "backstage.io/managed-by-origin-location": `url:${BASE}` },
      },
      spec: { type: "url", target: BASE },
    });
  });
});

describe("parseLocationRef (§C.1)", () => {
  it("splits at the first colon", () => {
    expect(parseLocationRef(`url:${BASE}`)).toEqual({ type: "url", target: BASE });
  });
  it.each([
    ["https://github.com/o/r", "Invalid location ref 'https://github.com/o/r', please prefix it with 'url:', e.g. 'url:https://github.com/o/r'"],
    ["nocolon", "Unable to parse location ref 'nocolon', expected '<type>:<target>', e.g. 'url:https://host/path'"],
    ["url:javascript:alert(1)", "Invalid location ref 'url:javascript:alert(1)', javascript: targets are not allowed"],
  ])("rejects %s", (ref, message) => {
    expect(() => parseLocationRef(ref)).toThrow(message);
  });
});
