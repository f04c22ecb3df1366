/**
 * A plugin's config section: the JSON in PLUGIN_CONFIG_<ID>, validated against the manifest's `config`
 * schema (@cfworker/json-schema, which needs no code generation), frozen. Invalid config is not thrown
 * at the caller as a 500: the plugin's routes answer 503 naming the problem, and GET /api/plugins shows it.
 * Results are kept per (manifest, raw text), so a request pays for validation once per isolate.
 */
import { Validator } from "@cfworker/json-schema";
import type { PluginManifest } from "../../../contract/plugin";
import { ApiError } from "../../errors";
import { configVar } from "./names";

export type ConfigResult = { ok: true; config: Readonly<Record<string, unknown>> } | { ok: false; problem: string };

const validators = new WeakMap<PluginManifest, Validator>();
const results = new WeakMap<PluginManifest, Map<string | undefined, ConfigResult>>();
const MAX_CACHED = 8;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function validatorOf(manifest: PluginManifest): Validator | null {
  if (!manifest.config) return null;
  let v = validators.get(manifest);
  // The validator annotates the schema it is given, and manifests are frozen: it gets its own copy.
  if (!v) validators.set(manifest, (v = new Validator(structuredClone(manifest.config) as ConstructorParameters<typeof Validator>[0], "2020-12", false)));
  return v;
}

/** Throws an Error when the schema itself cannot be used, so a broken manifest fails at mount time. */
export function checkConfigSchema(manifest: PluginManifest): void {
  try {
    validatorOf(manifest)?.validate({});
  } catch (err) {
    throw new Error(`plugin ${manifest.id}: its config schema cannot be used: ${(err as Error).message}`);
  }
}

function evaluate(manifest: PluginManifest, raw: string | undefined): ConfigResult {
  const name = configVar(manifest.id);
  let value: unknown = {};
  if (raw !== undefined && raw.trim() !== "") {
    try {
      value = JSON.parse(raw);
    } catch (err) {
      return { ok: false, problem: `${name} is not valid JSON: ${(err as Error).message}` };
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: false, problem: `${name} must be a JSON object` };
  const validator = validatorOf(manifest);
  if (validator) {
    const result = validator.validate(value);
    if (!result.valid) {
      // The deepest errors say what is wrong; the outer ones only that a subschema failed.
      const errors = result.errors.filter((e) => !/^(properties|allOf|anyOf|oneOf|items|\$ref)$/.test(e.keyword) || result.errors.length === 1);
      const shown = (errors.length ? errors : result.errors).slice(0, 3).map((e) => `${e.instanceLocation.replace(/^#/, "") || "/"}: ${e.error}`);
      return { ok: false, problem: `${name} does not match plugin ${manifest.id}'s config schema: ${shown.join("; ")}` };
    }
  }
  return { ok: true, config: deepFreeze(value as Record<string, unknown>) };
}

export function readPluginConfig(env: object, manifest: PluginManifest): ConfigResult {
  const rawValue = (env as Record<string, unknown>)[configVar(manifest.id)];
  const raw = typeof rawValue === "string" ? rawValue : rawValue === undefined ? undefined : JSON.stringify(rawValue);
  let cache = results.get(manifest);
  if (!cache) results.set(manifest, (cache = new Map()));
  let result = cache.get(raw);
  if (!result) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(raw, (result = evaluate(manifest, raw)));
  }
  return result;
}

/** The config, or the 503 a plugin's routes answer while it is invalid. */
export function pluginConfig(env: object, manifest: PluginManifest): Readonly<Record<string, unknown>> {
  const result = readPluginConfig(env, manifest);
  if (!result.ok) throw new ApiError("ServiceUnavailableError", `Plugin ${manifest.id} is not configured correctly: ${result.problem}`);
  return result.config;
}
