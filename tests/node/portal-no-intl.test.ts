/**
 * The portal formats dates and numbers without Intl (web/src/lib/time.ts, format.ts): the first Intl use in a
 * page loads ICU data, measured at ~60 ms of main thread in a docs page's first render (two toLocaleString
 * calls). Any portal or plugin web source that calls toLocale*String or Intl fails here, named.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const INTL = /\b(toLocale(Date|Time)?String\s*\(|Intl\s*\.)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");

describe("the portal's code", () => {
  const files = [join(ROOT, "web/src"), ...readdirSync(join(ROOT, "plugins")).map((p) => join(ROOT, "plugins", p, "web"))].flatMap((d) => {
    try {
      return sources(d);
    } catch {
      return [];
    }
  });

  it("is found (the check reads real files)", () => {
    expect(files.some((f) => f.endsWith("plugins/techdocs/web/Reader.tsx"))).toBe(true);
    expect(files.length).toBeGreaterThan(100);
  });

  it("calls neither Intl nor toLocale*String", () => {
    const hits = files.flatMap((f) =>
      withoutComments(readFileSync(f, "utf8"))
        .split("\n")
        .filter((line) => INTL.test(line))
        .map((line) => `${relative(ROOT, f)}: ${line.trim().slice(0, 120)}`),
    );
    expect(hits).toEqual([]);
  });

  it("would see a call (the pattern matches what it is meant to)", () => {
    for (const line of ["d.toLocaleString(undefined, { dateStyle: 'medium' })", "n.toLocaleString()", "new Intl.DateTimeFormat()", "x.toLocaleDateString ()"]) expect(INTL.test(line), line).toBe(true);
    for (const line of ["relativeTime(at)", "exactTime(iso)", "// toLocaleString is slow"]) expect(INTL.test(withoutComments(line)), line).toBe(false);
  });
});
