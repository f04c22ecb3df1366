/** Entity refs as the worker imports them; the same suite runs in tests/web/entity-ref.test.ts. */
import { expect, it } from "vitest";
import { DEFAULT_NAMESPACE, parseEntityRef, stringifyEntityRef, tryParseEntityRef } from "../../../../worker/catalog/entity-ref";
import { entityRefSuite } from "../../../fixtures/contract/entity-ref-suite";

entityRefSuite("worker", { parseEntityRef, tryParseEntityRef, stringifyEntityRef });

it("defaults the namespace to default", () => {
  expect(DEFAULT_NAMESPACE).toBe("default");
  expect(parseEntityRef("component:x").namespace).toBe(DEFAULT_NAMESPACE);
});
