/**
 * contract/template-params/compiled.ts: the direct check of `const`/`enum`/`type` schemas and the per-object
 * validator cache must answer exactly as a fresh @cfworker/json-schema Validator does, and a template form's
 * first render (defaults and effective schemas of the kitchen-sink template) must not compile a validator.
 */
import { Validator as RealValidator } from "@cfworker/json-schema";
import fc from "fast-check";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { initialValues, matches, matchingOption, parseTemplateParameters, resolveSchema, resolveTree, validateStep, type JsonObject, type TemplateStep } from "../../../contract/template-params";
import { compiledValidator, simpleMatch } from "../../../contract/template-params/compiled";
import { loadTemplate } from "./fixtures";

const constructed = vi.hoisted(() => ({ count: 0 }));
vi.mock("@cfworker/json-schema", async (importOriginal) => {
  const orig = await importOriginal<typeof import("@cfworker/json-schema")>();
  class CountingValidator extends orig.Validator {
    constructor(...args: ConstructorParameters<typeof orig.Validator>) {
      super(...args);
      constructed.count++;
    }
  }
  return { ...orig, Validator: CountingValidator };
});

beforeEach(() => {
  constructed.count = 0;
});

/** What matches() answered before compiled.ts: a new validator per call, anything it throws is "no match". */
function fresh(schema: unknown, value: unknown, stopAtFirstError = true): boolean {
  try {
    return new RealValidator(structuredClone(schema) as never, "7", stopAtFirstError).validate(value).valid;
  } catch {
    return false;
  }
}

// A small pool of values so that consts, enums and instances collide often (-0/0, 1/1.5, "1"/1, [] / {}).
const atom = fc.constantFrom<unknown>("ts", "go", "", "1", 0, -0, 1, 1.5, -2, 2 ** 53, NaN, Infinity, null, true, false);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small" }, atom, fc.array(tie("v"), { maxLength: 2 }), fc.dictionary(fc.constantFrom("a", "b", "__proto__"), tie("v"), { maxKeys: 2 })),
})).v;
const value = fc.oneof({ weight: 4, arbitrary: atom }, { weight: 2, arbitrary: json }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.double() });
const typeName = fc.constantFrom("string", "number", "integer", "boolean", "null", "array", "object", "any");
const simpleSchema = fc.record(
  {
    type: fc.oneof(typeName, fc.array(typeName, { maxLength: 3 }), fc.constantFrom<unknown>(5, null, { a: 1 })),
    const: json,
    enum: fc.oneof(fc.array(json, { maxLength: 4 }), fc.constantFrom<unknown>("ts", null, 3, { ts: 1 })),
    title: fc.string({ maxLength: 4 }),
    description: fc.string({ maxLength: 4 }),
    default: json,
    enumNames: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
    $comment: fc.string({ maxLength: 3 }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<JsonObject>;

/** One keyword at a time: each comparison rule (integer, -0, NaN, deep equality) is hit often. */
const oneKeyword = fc.oneof(
  fc.record({ type: fc.oneof(typeName, fc.array(typeName, { maxLength: 3 })) }),
  fc.record({ const: json }),
  fc.record({ enum: fc.array(json, { maxLength: 4 }) }),
) as fc.Arbitrary<JsonObject>;

describe("direct const/enum/type checks", () => {
  it("answer as a fresh validator does for each keyword alone", () => {
    fc.assert(
      fc.property(oneKeyword, value, (schema, v) => {
        expect(simpleMatch(schema, v)).toBe(fresh(schema, v));
      }),
      { numRuns: 3000 },
    );
  });

  it("answer as a fresh validator does, for every value", () => {
    fc.assert(
      fc.property(simpleSchema, value, (schema, v) => {
        const quick = simpleMatch(schema, v);
        expect(quick).not.toBeUndefined();
        expect(quick).toBe(fresh(schema, v));
        expect(matches(schema, v)).toBe(fresh(schema, v));
      }),
      { numRuns: 2000 },
    );
  });

  it("leave schemas with any other keyword, or an annotation holding an object, to the validator", () => {
    for (const schema of [{ const: "a", minLength: 1 }, { enum: ["a"], $id: "x" }, { type: "string", title: { $id: "http://[" } }, { properties: {} }, { const: 1, __proto__x: 1 }]) {
      expect(simpleMatch(schema, "a")).toBeUndefined();
    }
    expect(simpleMatch(Object.freeze({ const: "a" }), "a")).toBeUndefined();
  });
});

// Schemas that need the validator, in near-identical twins (same title, one constraint apart).
const limit = fc.constantFrom<unknown>(0, 1, 2, 3, Infinity, -Infinity, NaN, null, "2");
const composite = fc.oneof(
  fc.record({ title: fc.constant("T"), type: fc.constant("string"), minLength: limit }),
  fc.record({ title: fc.constant("T"), maximum: limit, exclusiveMinimum: limit }),
  fc.record({ title: fc.constant("T"), pattern: fc.constantFrom("^a", "^b", "[", "^1\\.[0-9]+$") }),
  fc.record({ title: fc.constant("T"), type: fc.constant("object"), properties: fc.record({ a: fc.record({ const: atom }) }), required: fc.subarray(["a", "b"]) }),
  fc.record({ title: fc.constant("T"), oneOf: fc.array(fc.record({ const: atom }), { minLength: 1, maxLength: 3 }) }),
  fc.record({ title: fc.constant("T"), not: fc.record({ enum: fc.array(atom, { maxLength: 3 }) }) }),
  fc.record({ title: fc.constant("T"), allOf: fc.array(fc.record({ type: typeName }), { maxLength: 2 }), $ref: fc.constantFrom("#", "#/nope") }),
  simpleSchema,
) as fc.Arbitrary<JsonObject>;

describe("one compiled validator per schema object", () => {
  it("never answers for another schema, however the calls interleave", () => {
    fc.assert(
      fc.property(
        fc.array(composite, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean(), value), { minLength: 1, maxLength: 12 }),
        (schemas, calls) => {
          // Each schema also as an equal copy: a different object that must get its own validator.
          const objects = schemas.flatMap((s) => [s, structuredClone(s)]);
          for (const [i, copy, v] of calls) {
            const schema = objects[(i * 2 + (copy ? 1 : 0)) % objects.length]!;
            expect(matches(schema, v)).toBe(fresh(schema, v));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("gives a step's validation the same errors as a newly parsed copy of the step, call after call", () => {
    const stepOf = (schema: JsonObject): TemplateStep => ({ title: "T", schema: { type: "object", properties: { x: schema }, required: ["x"] }, uiSchema: {} });
    fc.assert(
      fc.property(fc.array(composite, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(fc.nat(), json), { minLength: 1, maxLength: 8 }), (schemas, calls) => {
        const steps = schemas.map(stepOf);
        for (const [i, x] of calls) {
          const step = steps[i % steps.length]!;
          const values = x === undefined ? {} : { x };
          expect(validateStep(step, values)).toEqual(validateStep(structuredClone(step), values));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("compiles once per object and mode, and again for an equal copy", () => {
    const schema = { type: "string", pattern: "^a" };
    expect(compiledValidator(schema, true)).toBe(compiledValidator(schema, true));
    expect(compiledValidator(schema, false)).not.toBe(compiledValidator(schema, true));
    expect(compiledValidator({ ...schema }, true)).not.toBe(compiledValidator(schema, true));
    expect(constructed.count).toBe(3);
    expect([matches(schema, "ab"), matches(schema, "b"), matches(schema, 1)]).toEqual([true, false, false]);
    expect(constructed.count).toBe(3);
  });
});

describe("a template form's first render", () => {
  it("computes the kitchen-sink template's defaults and effective schemas without compiling a validator", () => {
    const steps = parseTemplateParameters(loadTemplate("kitchen-sink").spec.parameters);
    const values = initialValues(steps, {});
    expect(values).toMatchObject({ lang: "ts", runtime: "workers", replicas: 2, public: false });
    for (const step of steps) {
      resolveSchema(step.schema, values, step.schema);
      resolveTree(step.schema, values, step.schema);
    }
    expect(Object.keys((resolveTree(steps[0]!.schema, { ...values, lang: "go" }, steps[0]!.schema) as { properties: object }).properties)).toContain("goVersion");
    expect(constructed.count).toBe(0);
    // An object-level option match is real validation (sanity check of the counter).
    matchingOption([{ properties: { a: { type: "string" } }, required: ["a"] }], { a: "x" });
    expect(constructed.count).toBe(1);
  });
});
