/**
 * The environment names a plugin's slice of the deployment lives under. Plugin ids are lower-case words
 * joined by single '-' (contract PLUGIN_ID), so `-`→`_` is reversible and an id never yields `__`; secret
 * names are upper-case words joined by single '_'. The first `__` therefore splits a secret's variable
 * into exactly one (plugin, name) pair, and config variables (no `__`) never look like secrets.
 */
export const SECRET_NAME = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

const envId = (pluginId: string) => pluginId.toUpperCase().replaceAll("-", "_");

/** `PLUGIN_CONFIG_<ID>`: one JSON value holding the plugin's whole config section. */
export const configVar = (pluginId: string) => `PLUGIN_CONFIG_${envId(pluginId)}`;

/** `PLUGIN_<ID>__<NAME>`: one secret the manifest declares. */
export const secretVar = (pluginId: string, name: string) => `PLUGIN_${envId(pluginId)}__${name}`;
