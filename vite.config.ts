/**
 * Builds the portal (web/) into dist/, which the worker serves as static assets (wrangler.toml [assets]).
 * `npm run dev` (scripts/dev.mjs) runs this config's dev server and proxies /api to `wrangler dev`.
 */
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

const apiTarget = process.env.EDGESTAGE_API_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  root: "web",
  publicDir: "public",
  plugins: [solid(), earlyReads()],
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
