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
            // The chunk holding the route's module (a chunk group's file has no facade module).
            const chunk = chunks.find((c) => c.facadeModuleId === resolve(__dirname, source)) ?? chunks.find((c) => c.moduleIds.includes(resolve(__dirname, source)));
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

/**
 * V8's explicit compile hint (Chrome 136+; other engines ignore the comment) on the first line of chunks whose
 * functions nearly all run as soon as they load: V8 then compiles them while the file streams in, off the main
 * thread, instead of one by one on first call. The template form's first render spent about half its main-thread
 * time compiling its own functions that way; with the hint, paired cold loads were ~40 ms faster (12 ms less
 * main-thread CPU). Only for such chunks: eager compiling costs memory and background CPU for what never runs.
 */
const EAGER_COMPILE = ["web/src/routes/scaffolder/TemplateForm.tsx"];

function compileHints(): Plugin {
  const sources = new Set(EAGER_COMPILE.map((f) => resolve(__dirname, f)));
  return {
    name: "edgestage-compile-hints",
    apply: "build",
    generateBundle(_options, bundle) {
      for (const c of Object.values(bundle)) if (c.type === "chunk" && c.facadeModuleId && sources.has(c.facadeModuleId)) c.code = `//# allFunctionsCalledOnLoad\n${c.code}`;
    },
  };
}

/**
 * Fewer files on a cold load's critical path. The code the entry shares with lazy routes (Solid, its router,
 * the kinds table) came as three extra chunks and the docs reader as three more: with the entry, boot.js and the
 * CSS a docs deep link was ten parallel requests, and over HTTP/1.1 a browser opens six connections to a host,
 * so the last ones waited for a free one (seen in resource timings of `npm run preview`: 100-200 ms later). One
 * shared chunk and one chunk for TechDocs' components make it six files (tests/node/plugin-build.test.ts).
 * Dependencies are not pulled into a group (`includeDependenciesRecursively: false`): the after-paint helper the
 * entry uses would otherwise move into the TechDocs chunk, and the entry would import it. A group whose modules
 * import the entry's own modules splits those out of the entry (tried for the template form's breadcrumb: three
 * more initial files), so only leaves of the import graph belong here.
 */
const CHUNK_GROUPS = [
  {
    name: "shared",
    test: /node_modules[\\/](solid-js|@solidjs[\\/]router)[\\/]|web[\\/]src[\\/]lib[\\/]kinds\.ts$/,
  },
  { name: "techdocs", test: /plugins[\\/]techdocs[\\/]web[\\/](?!index\.ts$)/ },
];

const apiTarget = process.env.EDGESTAGE_API_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  root: "web",
  publicDir: "public",
  plugins: [solid(), earlyReads(), routeChunks(), compileHints()],
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    target: "es2022",
    // Hashed file names under /assets/ get a year-long immutable Cache-Control (web/public/_headers).
    assetsDir: "assets",
    // One stylesheet for the whole portal (13 KB gzip; the plugins' styles 2.3 KB of it): on a deep link to a
    // lazy page (a docs page) the page's own stylesheet was one more request among the six the browser opens at
    // once, and it came last; paired cold docs loads were ~40 ms faster with one (5 of 6 pairs), entity pages
    // unchanged. Later pages then need no stylesheet of their own either.
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    chunkSizeWarningLimit: 300,
    rolldownOptions: { output: { codeSplitting: { groups: CHUNK_GROUPS, includeDependenciesRecursively: false } } },
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
