/** applyFiles writes a group of files per D1 batch; when the database refuses a group, each file is tried alone. */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { applyFiles, type FileWrite } from "../../../../worker/catalog/store/apply-file";
import { processFile } from "../../../../worker/catalog/process-file";
import { component, uniq } from "../../helpers";

async function write(target: string, content: string): Promise<FileWrite> {
  const file = await processFile({ location: { type: "file", target }, origin: "file:/t", content });
  return { file, originKey: "file:/t", parentRef: null, contentHash: null };
}

describe("applyFiles", () => {
  it("retries file by file when a grouped batch fails, and reports every file in order", async () => {
    const names = [uniq("a"), uniq("b"), uniq("c")];
    const writes = await Promise.all(names.map((n) => write(`/t/${n}.yaml`, component(n))));
    let batches = 0;
    let refused = 0;
    const db = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "batch") {
          return (statements: D1PreparedStatement[]) => {
            batches++;
            // The grouped write (the second batch: the first reads) fails once, as a too-large batch would.
            if (batches === 2) {
              refused++;
              return Promise.reject(new Error("D1_ERROR: simulated refusal"));
            }
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const reports = await applyFiles(db, writes);
    expect(refused).toBe(1);
    expect(batches).toBe(2 + 2 * names.length);
    expect(reports.map((r) => r.added)).toEqual(names.map((n) => [`component:default/${n}`]));
    const { results } = await env.DB.prepare("SELECT name FROM entities WHERE name IN (?, ?, ?) ORDER BY name").bind(...names).all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual([...names].sort());
  });
});
