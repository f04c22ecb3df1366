/** TechDocs: docs-like-code from each entity's repository (or local folder), rendered in the worker, read in the portal. */
import { definePlugin } from "../../contract/plugin";

export const TECHDOCS_ANNOTATION = "backstage.io/techdocs-ref";

export default definePlugin({
  id: "techdocs",
  title: "TechDocs",
  version: "0.1.0",
  description: "Markdown docs next to the code (mkdocs.yml or docs/), rebuilt on push, sanitized, searchable.",
  icon: "file",
  nav: [{ path: "/docs", title: "Docs", icon: "file" }],
  entityTabs: [{ id: "docs", title: "Docs", icon: "file", when: { annotation: TECHDOCS_ANNOTATION } }],
  entityCards: [{ id: "docs-status", title: "Docs", when: { annotation: TECHDOCS_ANNOTATION } }],
  permissions: [{ name: "plugin.techdocs.write", description: "upload built docs sources (npm run catalog:load) and trigger rebuilds" }],
  webhooks: ["push"],
});
