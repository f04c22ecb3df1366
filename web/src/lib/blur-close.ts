/**
 * The delayed close a combobox schedules on blur (so a click on an option lands before the list goes). The
 * pending close is dropped by a focus or an input that follows it: otherwise a blur-then-type (Next, then a
 * correction; focus moved by the page and back; a stray click) shuts the list the user is typing into.
 */
import { onCleanup } from "solid-js";

export interface BlurClose {
  /** Call on blur: closes after `delayMs` unless `keep()` runs first. */
  schedule(): void;
  /** Call on focus and on input: the box is in use again. */
  keep(): void;
}

export function createBlurClose(close: () => void, delayMs: number): BlurClose {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const keep = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  onCleanup(keep);
  return {
    schedule() {
      keep();
      timer = setTimeout(() => {
        timer = undefined;
        close();
      }, delayMs);
    },
    keep,
  };
}
