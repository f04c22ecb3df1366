/**
 * Template parameters, shared by the portal's form and the worker's task API (pure: runs in workerd and the
 * browser, no I/O): a v1beta3 template's `parameters` as steps `{ title, description, schema, uiSchema }`,
 * the effective schema for current values (`dependencies`, `oneOf`, `allOf`, `if`), defaults, validation per
 * step and as a whole with field errors keyed by JSON pointer, secret fields and their redaction, and the
 * rules of Backstage's field extensions (OwnerPicker, EntityPicker, RepoUrlPicker, EntityNamePicker,
 * EntityTagsPicker).
 *
 * Worker side, on POST /tasks: `const steps = parseTemplateParameters(template.spec.parameters)`, then
 * `validateTemplateValues(steps, body.values, { secrets: body.secrets })` (400 with its errors when invalid), and
 * store `redactSecrets(steps, body.values)`, never the secrets.
 *
 * This module installs no validator: import the barrel contract/template-params.ts (it does, synchronously)
 * everywhere but the portal's form, which imports this one and calls loadValidator() (compiled.ts says why).
 */
export { ValidatorNotLoaded, validatorLoaded } from "./compiled";
export { loadValidator } from "./lazy-validator";
export { applyDefaults, initialValues, omitExtraData } from "./defaults";
export {
  isConstOptions,
  matches,
  matchingOption,
  mergeSchemas,
  objectOptions,
  resolveSchema,
  resolveTree,
  type OptionChoices,
} from "./effective-schema";
export {
  allowedKindsOf,
  catalogFilterQuery,
  catalogFilters,
  ENTITY_NAME_MESSAGE,
  entityRefDefaults,
  entityRefErrors,
  extensionErrors,
  isValidEntityName,
  isValidTag,
  OWNER_PICKER_KINDS,
  parseEntityRefInput,
  parseRepoUrl,
  repoUrlErrors,
  serializeRepoUrl,
  stringifyEntityRefParts,
  tagErrors,
  TAG_MESSAGE,
  userCredentialsKey,
  userCredentialsMessage,
  type CatalogFilter,
  type EntityRefParts,
  type RepoUrlParts,
} from "./extensions";
export { getAt, isObject, pointerSegments, setAt, toPointer, type JsonObject, type JsonSchema } from "./json";
export { enumLabels, messageFor } from "./messages";
export { isSecretUi, mergeSecrets, redactSecrets, SECRET_MASK, secretFieldPaths, secretKey, splitSecrets } from "./secrets";
export {
  DEFAULT_STEP_TITLE,
  InvalidTemplateParametersError,
  MAX_SCHEMA_DEPTH,
  parseTemplateParameters,
  uiOptions,
  uiSchemaAt,
  uiValue,
  type TemplateStep,
  type UiSchema,
} from "./steps";
export {
  catalogRefChecks,
  catalogRefError,
  catalogRefErrorsVia,
  errorsByPointer,
  MAX_VALUE_DEPTH,
  validateStep,
  validateTemplateValues,
  type CatalogRefCheck,
  type FieldError,
  type ValidateOptions,
  type ValidationOutcome,
} from "./validate";
