/**
 * The portal's form loads the validator after its first render (contract/template-params/compiled.ts): this
 * file imports only contract/template-params/api.ts, which installs none, so it sees what the form sees before
 * the download. Before: answers that need the validator throw ValidatorNotLoaded (never a guessed answer), and
 * the kitchen-sink's first render needs none. After loadValidator(): the same answers as @cfworker/json-schema.
 */
import { Validator } from "@cfworker/json-schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  initialValues,
  loadValidator,
  matches,
  parseTemplateParameters,
  resolveTree,
  validateStep,
  validateTemplateValues,
  ValidatorNotLoaded,
  validatorLoaded,
  type JsonObject,
} from "../../../contract/template-params/api";
import { ensureValidator, runsWithoutValidator, withValidator } from "../../../web/src/components/scaffolder/validator";
import { loadTemplate } from "./fixtures";

const kitchenSink = () => parseTemplateParameters(loadTemplate("kitchen-sink").spec.parameters);
const NEEDS_VALIDATOR: [unknown, unknown][] = [
  [{ type: "string", minLength: 2 }, "a"],
  [{ properties: { lang: { const: "ts" } }, required: ["lang"] }, { lang: "ts" }],
  [{ const: { a: 1 } }, { a: 1 }], // deep comparison: the validator's own deepCompareStrict
  [{ enum: [[1, 2]] }, [1, 2]],
];

// One describe, in order: the first part runs before anything has loaded the validator.
describe("the validator, loaded lazily", () => {
  it("is not there until loaded, and nothing needing it answers without it", () => {
    expect(validatorLoaded()).toBe(false);
    for (const [schema, value] of NEEDS_VALIDATOR) expect(() => matches(schema, value), JSON.stringify(schema)).toThrow(ValidatorNotLoaded);
    const steps = kitchenSink();
    expect(() => validateStep(steps[0]!, {})).toThrow(ValidatorNotLoaded);
    expect(() => validateTemplateValues(steps, {})).toThrow(ValidatorNotLoaded);
  });

  it("still answers const, enum and type conditions of primitives directly (the usual dependencies)", () => {
    expect(matches({ const: "ts" }, "ts")).toBe(true);
    expect(matches({ const: "ts" }, "go")).toBe(false);
    expect(matches({ enum: ["a", 1, null] }, null)).toBe(true);
    expect(matches({ type: "integer" }, 1.5)).toBe(false);
    expect(validatorLoaded()).toBe(false);
  });

  it("the kitchen-sink's first render (defaults, every step's layout) needs no validator", () => {
    const steps = kitchenSink();
    const values = initialValues(steps, {});
    expect(values).toMatchObject({ lang: "ts", runtime: "workers" });
    for (const s of steps) resolveTree(s.schema, values, s.schema);
    expect(runsWithoutValidator(() => steps.forEach((s) => resolveTree(s.schema, values, s.schema)))).toBe(true);
    expect(runsWithoutValidator(() => validateStep(steps[0]!, values))).toBe(false);
    expect(validatorLoaded()).toBe(false);
  });

  it("withValidator gives the fallback while it loads, and starts the download", async () => {
    expect(withValidator<boolean | string>(() => matches({ minLength: 2 }, "a"), () => "pending")).toBe("pending");
    await ensureValidator(); // the download withValidator started
    expect(validatorLoaded()).toBe(true);
    expect(withValidator<boolean | string>(() => matches({ minLength: 2 }, "a"), () => "pending")).toBe(false);
  });

  it("once loaded, answers as @cfworker/json-schema does", async () => {
    await loadValidator();
    for (const [schema, value] of NEEDS_VALIDATOR) expect(matches(schema, value)).toBe(new Validator(schema as never, "7").validate(value).valid);
    const steps = kitchenSink();
    const errors = validateStep(steps[0]!, initialValues(steps, {})).errors.map((e) => e.pointer);
    expect(errors).toEqual(expect.arrayContaining(["/name", "/owner"]));
    fc.assert(
      fc.property(fc.record({ minLength: fc.nat(4), maxLength: fc.nat(6) }, { requiredKeys: [] }), fc.string({ maxLength: 8 }), (schema, value) => {
        const s: JsonObject = { type: "string", ...schema };
        expect(matches(s, value)).toBe(new Validator(s as never, "7").validate(value).valid);
      }),
      { numRuns: 300 },
    );
  });
});
