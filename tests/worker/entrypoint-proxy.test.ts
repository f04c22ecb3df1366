/**
 * The test pool must not stack a Proxy on the worker's entrypoint prototype per request
 * (tests/worker/entrypoint-proxy.ts): watched through the Proxy constructor, no SELF request or queue
 * delivery wraps a prototype Proxy in another.
 */
import { SELF } from "cloudflare:test";
import { WorkerEntrypoint } from "cloudflare:workers";
import { afterEach, expect, it, vi } from "vitest";
import { BASE } from "./helpers";

// Not imported from the setup file: importing it would install the workaround this test must be able to miss.
const isEntrypointPrototype = (value: object) => Reflect.getPrototypeOf(value) === WorkerEntrypoint.prototype;

afterEach(() => {
  vi.unstubAllGlobals();
});

it("installs the entrypoint prototype's Proxy once, however many requests a file makes", async () => {
  const Current = globalThis.Proxy;
  const seen = new WeakSet<object>();
  let entrypointConstructions = 0;
  let nested = 0;
  vi.stubGlobal(
    "Proxy",
    new Current(Current, {
      construct(target, args: [object, ProxyHandler<object>]) {
        const [object] = args;
        const made = new target(...args);
        if (seen.has(object) || isEntrypointPrototype(object)) {
          entrypointConstructions++;
          if (seen.has(object) && made !== object) nested++;
          seen.add(made);
        }
        return made;
      },
    }),
  );
  for (let i = 0; i < 30; i++) expect((await SELF.fetch(`${BASE}/api/health`)).status).toBe(200);
  expect(entrypointConstructions).toBeGreaterThanOrEqual(30);
  expect(nested).toBe(0);
});
