/** TechDocs' web part: the docs index and reader under /docs, and the Docs tab on documented entities. */
import { definePluginWeb } from "../../../contract/plugin-web";
import manifest from "../plugin";

export default definePluginWeb({
  manifest,
  pages: { "/docs": () => import("./DocsPage") },
  entityTabs: { docs: () => import("./DocsTab") },
  entityCards: { "docs-status": () => import("./DocsCard") },
});
