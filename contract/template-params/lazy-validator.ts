/**
 * The portal's way to the validator: a dynamic import, so the form's first render does not download it (see
 * compiled.ts for why). The same @cfworker/json-schema class the worker uses, installed once.
 */
import { provideValidator, validatorLoaded } from "./compiled";

let loading: Promise<void> | undefined;

/** Resolves once the validator is installed; starts its download on the first call. A failed load may be retried. */
export function loadValidator(): Promise<void> {
  if (validatorLoaded()) return Promise.resolve();
  loading ??= import("@cfworker/json-schema").then(
    (m) => provideValidator(m),
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}
