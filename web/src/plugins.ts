/**
 * The web parts of the plugins this portal ships, as an explicit list (no discovery): the bundle shows exactly
 * what ships. Add `import myPlugin from "../../plugins/my-plugin/web";` and list it here. Each entry is a
 * `definePluginWeb({ manifest, pages, entityTabs, entityCards })` whose values are dynamic imports, so only
 * manifests and import stubs are in the initial JS (tests/node/plugin-build.test.ts checks it).
 */
import type { WebPlugin } from "../../contract/plugin-web";
import apiDocs from "../../plugins/api-docs/web";
import techdocs from "../../plugins/techdocs/web";

export const WEB_PLUGINS: readonly WebPlugin[] = [apiDocs, techdocs];
