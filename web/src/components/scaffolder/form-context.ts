/** What every field of the template form reads and writes: values by path, visible errors, option choices. */
import { createContext, useContext } from "solid-js";
import type { OptionChoices } from "../../../../contract/template-params/api";

export interface FormContextValue {
  value(path: readonly string[]): unknown;
  setValue(path: readonly string[], value: unknown): void;
  /** Errors to show now for this field (after it was edited or a Next was attempted). */
  errors(path: readonly string[]): string[];
  touch(path: readonly string[]): void;
  choices(): OptionChoices;
  setChoice(pointer: string, index: number): void;
}

export const FormContext = createContext<FormContextValue>();

export function useForm(): FormContextValue {
  const ctx = useContext(FormContext);
  if (!ctx) throw new Error("template form fields need a FormContext");
  return ctx;
}

/** A DOM id for a field path (stable across renders, safe in `for`/`aria-*`). */
export function fieldId(path: readonly string[]): string {
  return `field-${path.map((s) => s.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)).join("--")}`;
}
