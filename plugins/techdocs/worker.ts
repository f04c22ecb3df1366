/** TechDocs' worker part: its routes, the catalog-change and push hooks that queue builds, and the build job. */
import { definePluginWorker } from "../../worker/plugins/api";
import { onCatalogChange, onJob, onWebhook } from "./hooks";
import manifest from "./plugin";
import { techdocsRoutes } from "./routes";

export default definePluginWorker(manifest, { app: techdocsRoutes, onJob, onWebhook, onCatalogChange });
