/**
 * The worker plugins this deployment ships, as an explicit list: the bundle shows exactly what runs.
 * Add `import myPlugin from "../plugins/my-plugin/worker";` and list it here (see README, "Writing a plugin").
 */
import type { WorkerPlugin } from "../contract/plugin-worker";
import techdocs from "../plugins/techdocs/worker";

export const PLUGINS: readonly WorkerPlugin[] = [techdocs];
