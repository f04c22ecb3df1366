/**
 * The static portal's security headers and its Content-Security-Policy: the web app is built into a
 * temporary folder and served by Miniflare's asset server, which applies web/public/_headers as Cloudflare
 * does. The policy forbids inline scripts and styles, so the built pages must not contain any.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let out: string;
let mf: Miniflare;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "portal-build-"));
  await build({ configFile: join(REPO, "vite.config.ts"), logLevel: "silent", build: { outDir: out, emptyOutDir: true } });
  mf = new Miniflare({
    modules: true,
    // Pages never reach the worker (wrangler.toml runs it first for /api/* only), so it is a stand-in here.
    script: "export default { fetch() { return new Response('worker', { status: 418 }); } };",
    compatibilityDate: "2026-04-20",
    assets: {
      directory: out,
      routerConfig: { has_user_worker: false },
      assetConfig: { not_found_handling: "single-page-application" },
    },
  });
  await mf.ready;
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  if (out) rmSync(out, { recursive: true, force: true });
});

function csp(res: { headers: { get(name: string): string | null } }): Map<string, string[]> {
  const value = res.headers.get("content-security-policy") ?? "";
  return new Map(value.split(";").map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...sources]) => [name, sources]));
}

describe("the portal's pages and files", () => {
  const pages = ["/", "/catalog", "/catalog/component/default/some-service", "/sign-in"];

  it("carry a strict Content-Security-Policy on every page, deep links included", async () => {
    for (const path of pages) {
      const res = await mf.dispatchFetch(`http://portal.test${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      await res.text();
      const policy = csp(res);
      expect(policy.get("default-src"), path).toEqual(["'self'"]);
      expect(policy.get("script-src"), path).toEqual(["'self'"]);
      expect(policy.get("style-src"), path).toEqual(["'self'"]);
      expect(policy.get("object-src")).toEqual(["'none'"]);
      expect(policy.get("base-uri")).toEqual(["'none'"]);
      expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
      expect(res.headers.get("content-security-policy")).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
    }
  });

  it("carry the same headers on scripts and styles, and keep hashed assets forever", async () => {
    const assets = readdirSync(join(out, "assets")).filter((f) => f.endsWith(".js") || f.endsWith(".css"));
    for (const path of ["/boot.js", ...assets.slice(0, 5).map((f) => `/assets/${f}`)]) {
      const res = await mf.dispatchFetch(`http://portal.test${path}`);
      await res.text();
      expect(res.status, path).toBe(200);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(csp(res).get("frame-ancestors"), path).toEqual(["'none'"]);
      if (path.startsWith("/assets/")) expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    }
  });

  it("contain no inline script, inline style or event-handler attribute the policy would block", () => {
    const html = readFileSync(join(out, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(1);
    for (const [, attrs, body] of scripts) {
      // Either an external same-origin script, or a JSON data block (not executed, so not a script to CSP).
      if (/\bsrc="/.test(attrs)) expect(attrs).toMatch(/\bsrc="\/[^/]/);
      else expect(attrs).toMatch(/type="application\/json"/);
      if (/\bsrc="/.test(attrs)) expect(body.trim()).toBe("");
    }
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
    for (const file of readdirSync(join(out, "assets")).filter((f) => f.endsWith(".js"))) {
      const js = readFileSync(join(out, "assets", file), "utf8");
      expect(js, file).not.toMatch(/\bnew Function\(|\beval\(/);
      // Solid compiles a static style={{...}} into its template's HTML, where the policy blocks it.
      expect(js, file).not.toMatch(/<[a-z][^<>]*\sstyle=/);
    }
  });
});
