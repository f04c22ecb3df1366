/**
 * Setup file working around cloudflare/workers-sdk#15092 in @cloudflare/vitest-pool-workers 0.15.1: the
 * pool's entrypoint wrapper installs a Proxy on its class prototype inside the constructor, so every
 * construction (every SELF request, every queue delivery) wraps the previous Proxy in one more. A property
 * read then runs one `get` trap per request made so far in the test file, and each request costs more
 * than the last: a file's last few hundred requests ran at 50-130 ms each, so the last property test of
 * bad-input.test.ts took 7 s on an idle machine and timed out on a loaded one, and a property shrinking
 * after a failure could run for many minutes. The fix upstream (#15106: install the Proxy once) ships
 * only in releases that need Node 22; this does the same from outside: a Proxy asked for over an
 * entrypoint prototype that is already the pool's Proxy is that Proxy.
 */
import { DurableObject, WorkerEntrypoint, WorkflowEntrypoint } from "cloudflare:workers";

const ENTRYPOINT_PROTOTYPES: ReadonlySet<object> = new Set([WorkerEntrypoint.prototype, DurableObject.prototype, WorkflowEntrypoint.prototype]);

/** Whether `value` is a class prototype extending one of the Workers entrypoint classes directly. */
function isEntrypointPrototype(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  try {
    return ENTRYPOINT_PROTOTYPES.has(Reflect.getPrototypeOf(value) as object);
  } catch {
    // A revoked Proxy has no prototype to ask for.
    return false;
  }
}

const installed = new WeakSet<object>();
const NativeProxy = globalThis.Proxy;
const patched = Symbol.for("edgestage.entrypointProxyOnce");

if (!(patched in NativeProxy)) {
  globalThis.Proxy = new NativeProxy(NativeProxy, {
    construct(target, args: [object, ProxyHandler<object>]) {
      const [object] = args;
      if (installed.has(object)) return object;
      const proxy = new target(...args);
      if (isEntrypointPrototype(object)) installed.add(proxy);
      return proxy;
    },
    has(target, key) {
      return key === patched || Reflect.has(target, key);
    },
  });
}
