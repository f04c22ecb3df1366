/**
 * Builds the portal (web/) into dist/, which the worker serves as static assets (wrangler.toml [assets]).
 * `npm run dev` (scripts/dev.mjs) runs this config's dev server and proxies /api to `wrangler dev`.
 */
import { resolve } from "node:path";
import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";
import { defaultCatalogReads } from "./web/src/lib/catalog-query";

/** Fills index.html's early-fetch list with the exact reads the catalog page makes first. */
function earlyReads(): Plugin {
  return {
    name: "edgestage-early-reads",
    transformIndexHtml: (html) => html.replace("__EDGESTAGE_CATALOG_READS__", JSON.stringify(defaultCatalogReads())),
  };
}

/**
 * Deep links to lazy pages (a docs page, a template's form): their route chunk would load only after the entry
 * had run, one more round trip before anything is on screen. index.html gets, per path prefix, the chunk's file,
 * its static imports and their CSS; web/public/boot.js preloads them beside the entry when the address matches.
 */
const DEEP_LINK_ROUTES: Record<string, string> = {
  "/docs/": "plugins/techdocs/web/DocsPage.tsx",
  "/create/templates/": "web/src/routes/scaffolder/TemplateForm.tsx",
};

function routeChunks(): Plugin {
  return {
    name: "edgestage-route-chunks",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        const bundle = ctx.bundle;
        const map: Record<string, string[]> = {};
        if (bundle) {
          const chunks = Object.values(bundle).filter((c) => c.type === "chunk");
          // The entry's own imports are in index.html's modulepreloads already.
          const initial = new Set(chunks.filter((c) => c.isEntry).flatMap((c) => [c.fileName, ...c.imports]));
          for (const [prefix, source] of Object.entries(DEEP_LINK_ROUTES)) {
            const chunk = chunks.find((c) => c.facadeModuleId === resolve(__dirname, source));
            if (!chunk) continue;
            const files = new Set<string>();
            const visit = (file: string) => {
              const c = bundle[file];
              if (!c || c.type !== "chunk" || files.has(file) || initial.has(file)) return;
              files.add(file);
              for (const css of c.viteMetadata?.importedCss ?? []) files.add(css);
              c.imports.forEach(visit);
            };
            visit(chunk.fileName);
            map[prefix] = [...files].map((f) => `/${f}`);
          }
        }
        return html.replace("__EDGESTAGE_ROUTE_CHUNKS__", JSON.stringify(map).replace(/</g, "\\u003c"));
      },
    },
  };
}

const apiTarget = process.env.EDGESTAGE_API_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  root: "web",
  publicDir: "public",
  plugins: [solid(), earlyReads(), routeChunks()],
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    target: "es2022",
    // Hashed file names under /assets/ get a year-long immutable Cache-Control (web/public/_headers).
    assetsDir: "assets",
    cssCodeSplit: true,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    chunkSizeWarningLimit: 300,
  },
  server: {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 5173),
    proxy: { "/api": { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    proxy: { "/api": { target: apiTarget, changeOrigin: false } },
  },
});
