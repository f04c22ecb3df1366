import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyDefaults,
  getAt,
  isValidEntityName,
  parseRepoUrl,
  parseTemplateParameters,
  redactSecrets,
  serializeRepoUrl,
  setAt,
  splitSecrets,
  validateTemplateValues,
} from "../../../contract/template-params";
import { loadTemplate, templateNames } from "./fixtures";

const allSteps = templateNames().map((n) => parseTemplateParameters(loadTemplate(n).spec.parameters));
const hostileKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "toString"), fc.string({ maxLength: 8 }));
const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.jsonValue({ maxDepth: 2 }), fc.dictionary(hostileKey, tie("value"), { maxKeys: 4 }), fc.array(tie("value"), { maxLength: 3 })),
})).value;

describe("template parameters under arbitrary input", () => {
  it("validation never throws, and every error names a pointer and a message", () => {
    fc.assert(
      fc.property(fc.nat(allSteps.length - 1), hostileJson, fc.option(hostileJson), (i, values, secrets) => {
        const out = validateTemplateValues(allSteps[i]!, values, { secrets });
        for (const e of out.errors) {
          expect(e.pointer === "" || e.pointer.startsWith("/")).toBe(true);
          expect(e.message.length).toBeGreaterThan(0);
        }
        expect(out.valid).toBe(out.errors.length === 0);
      }),
      { numRuns: 300 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("defaults, splitting and redaction leave Object.prototype alone and keep hostile keys as data", () => {
    const steps = parseTemplateParameters(loadTemplate("kitchen-sink").spec.parameters);
    fc.assert(
      fc.property(fc.dictionary(hostileKey, hostileJson, { maxKeys: 6 }), (values) => {
        const filled = steps.reduce((acc, s) => applyDefaults(s.schema, acc), values as Record<string, unknown>);
        for (const k of Object.keys(values)) expect(Object.hasOwn(filled, k)).toBe(true);
        redactSecrets(steps, filled);
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
        expect(({} as Record<string, unknown>).type).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it("a secret never survives in the values that are stored or shown", () => {
    const steps = parseTemplateParameters(loadTemplate("kitchen-sink").spec.parameters);
    fc.assert(
      fc.property(fc.string({ minLength: 9, maxLength: 40 }).filter((s) => !s.includes("*")), fc.string({ minLength: 9 }).filter((s) => !s.includes("*")), (token, password) => {
        const { values, secrets } = splitSecrets(steps, { name: "n", apiToken: token, adminPassword: password });
        const shown = JSON.stringify(values);
        expect(shown.includes(JSON.stringify(token).slice(1, -1))).toBe(false);
        expect(shown.includes(JSON.stringify(password).slice(1, -1))).toBe(false);
        expect(secrets).toEqual({ apiToken: token, adminPassword: password });
      }),
    );
  });

  it("setAt then getAt returns the value, for any path", () => {
    fc.assert(
      fc.property(hostileJson, fc.array(hostileKey, { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), (doc, path, v) => {
        fc.pre(v !== undefined && v !== null);
        expect(getAt(setAt(doc, path, v), path)).toEqual(v);
      }),
    );
  });
});

describe("RepoUrlPicker's value format", () => {
  const host = fc.domain();
  const part = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s.length > 0);

  it("round-trips host, owner and repo through `host?owner=o&repo=r`", () => {
    fc.assert(
      fc.property(host, part, part, (h, owner, repo) => {
        const v = serializeRepoUrl({ host: h, owner, repo })!;
        expect(v.startsWith(`${h}?`)).toBe(true);
        expect(parseRepoUrl(v)).toEqual({ host: h, owner, repo });
      }),
    );
  });

  it("is Backstage's exact format", () => {
    expect(serializeRepoUrl({ host: "github.com", owner: "acme", repo: "my-app" })).toBe("github.com?owner=acme&repo=my-app");
    expect(serializeRepoUrl({ host: "", owner: "a" })).toBeUndefined();
    expect(parseRepoUrl("https://github.com/acme/x")).toBeUndefined();
  });
});

describe("EntityNamePicker's rule", () => {
  it("accepts exactly Kubernetes-style object names", () => {
    const valid = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
    fc.assert(fc.property(valid, (n) => isValidEntityName(n)));
    fc.assert(fc.property(fc.string(), (s) => isValidEntityName(s) === (/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(s) && s.length <= 63)));
  });
});
