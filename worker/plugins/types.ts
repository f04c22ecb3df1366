/** The worker plugin types, from the shared contract (contract/plugin-worker.ts); kept for the core's imports. */
export type { PluginContext, PluginEnv, WorkerPlugin } from "../../contract/plugin-worker";
