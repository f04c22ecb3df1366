/**
 * A plugin's secrets: exactly the names its manifest declares, read from PLUGIN_<ID>__<NAME> (names.ts
 * explains why no two plugins can address the same variable). Nothing else of the environment is looked at.
 */
import type { PluginManifest } from "../../../contract/plugin";
import { secretVar } from "./names";

export function pluginSecrets(env: object, manifest: PluginManifest): Readonly<Record<string, string>> {
  const secrets: Record<string, string> = {};
  for (const name of manifest.secrets ?? []) {
    const value = (env as Record<string, unknown>)[secretVar(manifest.id, name)];
    if (typeof value === "string" && value !== "") secrets[name] = value;
  }
  return Object.freeze(secrets);
}

/** For the installed-plugins page: which declared secrets are set, never their values. */
export function secretStatus(env: object, manifest: PluginManifest): { name: string; configured: boolean }[] {
  const set = pluginSecrets(env, manifest);
  return (manifest.secrets ?? []).map((name) => ({ name, configured: Object.hasOwn(set, name) }));
}
