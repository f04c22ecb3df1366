/**
 * The form's side of the lazily loaded validator (contract/template-params/compiled.ts says why it is lazy):
 * a signal that flips once it is installed, so every computation that needed it and got ValidatorNotLoaded
 * runs again with it.
 */
import { createSignal } from "solid-js";
import { loadValidator, ValidatorNotLoaded, validatorLoaded } from "../../../../contract/template-params/api";

const [ready, setReady] = createSignal(validatorLoaded());

/** Installs the validator (downloads it on the first call); the form calls it right after its first render. */
export function ensureValidator(): Promise<void> {
  return loadValidator().then(() => {
    setReady(true);
  });
}

/**
 * `compute()`, or `fallback()` while the validator it needs is still loading (the download is started then,
 * and a reactive caller re-runs once it is in). Other errors are thrown as they are.
 */
export function withValidator<T>(compute: () => T, fallback: () => T): T {
  ready();
  try {
    return compute();
  } catch (e) {
    if (!(e instanceof ValidatorNotLoaded)) throw e;
    ensureValidator().catch(() => undefined); // the next call tries again
    return fallback();
  }
}

/** True when `compute()` can run without the validator (what a first render needs to show at once). */
export function runsWithoutValidator(compute: () => unknown): boolean {
  try {
    compute();
    return true;
  } catch (e) {
    if (e instanceof ValidatorNotLoaded) return false;
    throw e;
  }
}
