/**
 * Template parameters (contract/template-params/api.ts has the whole story) with the JSON Schema validator
 * installed synchronously: what the worker and the tests import. The portal's form imports
 * template-params/api.ts and loads the validator after its first render (template-params/compiled.ts).
 */
import "./template-params/sync-validator";

export * from "./template-params/api";
