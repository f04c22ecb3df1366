/**
 * The api-docs web part. Only the manifest (plain data) is in the portal's initial JS; every component is
 * a dynamic import, loaded the first time its page, tab or card shows.
 */
import { definePluginWeb } from "../../../contract/plugin-web";
import manifest from "../plugin";

export default definePluginWeb({
  manifest,
  pages: { "/api-docs": () => import("./ExplorerPage") },
  entityTabs: { definition: () => import("./DefinitionTab") },
  entityCards: { apis: () => import("./ApisCard") },
});
