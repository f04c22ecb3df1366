/**
 * Real nunjucks, run inside QuickJS (WebAssembly): workerd forbids eval, and nunjucks compiles templates to
 * functions, so it runs where code generation is allowed and nothing of the host is reachable, as Backstage's
 * SecureTemplater runs it in an isolate. The runtime has a memory limit and a cycle budget (interrupt-handler
 * ticks, not a clock, so a busy machine does not fail renders): a template that loops or allocates without
 * bound stops with a TemplateLimitError instead of taking the worker down. A runtime that hit a limit is
 * thrown away and the next render starts a fresh one.
 */
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from "quickjs-emscripten-core";
import RELEASE_SYNC from "@jitl/quickjs-wasmfile-release-sync";
import wasmModule from "@jitl/quickjs-wasmfile-release-sync/wasm";
import nunjucksBundle from "nunjucks/browser/nunjucks.min.js";
import { VM_PRELUDE } from "./vm-prelude";

export const MEMORY_LIMIT_BYTES = 32 * 1024 * 1024;
/**
 * Interrupt-handler calls allowed per render (QuickJS calls it every few thousand operations). Measured on a
 * quiet 2-core machine: 1000 ticks let an unbounded nunjucks loop run 1.1-1.3 s; 600 stop it after ~0.7 s (the
 * issue asks for about a second), far above what real templates use (a 50-file skeleton renders well under it).
 */
export const CYCLE_BUDGET = 600;
/** Loading nunjucks itself runs once per runtime, with its own budget. */
const LOAD_BUDGET = 20000;

/** A template expression stopped by the sandbox's memory or cycle limit. */
export class TemplateLimitError extends Error {
  override name = "TemplateLimitError";
}

/** A template that nunjucks could not parse or render (unknown filter, syntax error, a filter that threw). */
export class TemplateRenderError extends Error {
  override name = "TemplateRenderError";
}

interface Sandbox {
  rt: QuickJSRuntime;
  vm: QuickJSContext;
  render: QuickJSHandle;
  isSingle: QuickJSHandle;
  ticks: number;
  budget: number;
}

let modulePromise: Promise<QuickJSWASMModule> | undefined;
let current: Sandbox | undefined;

/** nunjucks' browser build as text (wrangler's Text rule). */
async function nunjucksSource(): Promise<string> {
  if (typeof nunjucksBundle !== "string") throw new Error("nunjucks' browser build was not imported as text (wrangler.toml [[rules]] type Text)");
  return nunjucksBundle;
}

function quickjs(): Promise<QuickJSWASMModule> {
  modulePromise ??= newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmModule }));
  return modulePromise;
}

function dispose(s: Sandbox | undefined): void {
  if (!s) return;
  try {
    s.render.dispose();
    s.isSingle.dispose();
    s.vm.dispose();
    s.rt.dispose();
  } catch {
    // A runtime that ran out of memory may refuse to free cleanly; it is unreachable either way.
  }
}

async function sandbox(): Promise<Sandbox> {
  if (current) return current;
  const mod = await quickjs();
  const rt = mod.newRuntime();
  rt.setMemoryLimit(MEMORY_LIMIT_BYTES);
  rt.setMaxStackSize(1024 * 1024);
  const s = { rt, ticks: 0, budget: LOAD_BUDGET } as Sandbox;
  rt.setInterruptHandler(() => ++s.ticks > s.budget);
  s.vm = rt.newContext();
  const source = await nunjucksSource();
  for (const src of [source, VM_PRELUDE]) {
    const r = s.vm.evalCode(src, "nunjucks.js");
    if (r.error) {
      const message = String(s.vm.dump(r.error)?.message ?? "unknown error");
      r.error.dispose();
      dispose(s);
      throw new Error(`The template sandbox failed to start: ${message}`);
    }
    r.value.dispose();
  }
  const api = s.vm.getProp(s.vm.global, "__edgestage");
  s.render = s.vm.getProp(api, "render");
  s.isSingle = s.vm.getProp(api, "isSingle");
  api.dispose();
  current = s;
  return s;
}

function call(s: Sandbox, fn: QuickJSHandle, args: string[]): string {
  s.ticks = 0;
  s.budget = CYCLE_BUDGET;
  const handles = args.map((a) => s.vm.newString(a));
  let result;
  try {
    result = s.vm.callFunction(fn, s.vm.undefined, ...handles);
  } catch (err) {
    // Out of memory can surface as a host-side exception from the WebAssembly module.
    current = undefined;
    dispose(s);
    throw new TemplateLimitError(`Template stopped: it used more than ${MEMORY_LIMIT_BYTES / 1024 / 1024} MB (${(err as Error).message})`);
  } finally {
    for (const h of handles) h.dispose();
  }
  if (result.error) {
    const dumped = s.vm.dump(result.error) as { name?: string; message?: string } | string;
    result.error.dispose();
    const message = typeof dumped === "string" ? dumped : String(dumped?.message ?? "unknown error");
    const name = typeof dumped === "object" ? dumped?.name : undefined;
    // nunjucks wraps what it catches into its own Error, so the engine's limits are told apart by message.
    if (s.ticks > s.budget || name === "InternalError" || /InternalError|interrupted|out of memory|string too long|stack overflow/i.test(message)) {
      current = undefined;
      dispose(s);
      if (/out of memory|string too long/i.test(message)) throw new TemplateLimitError(`Template stopped: it used more than ${MEMORY_LIMIT_BYTES / 1024 / 1024} MB of memory`);
      throw new TemplateLimitError("Template stopped: it ran past the sandbox's cycle budget (an unbounded loop?)");
    }
    throw new TemplateRenderError(message.replace(/^\(unknown path\)\s*/, "").trim());
  }
  const out = s.vm.getString(result.value);
  result.value.dispose();
  return out;
}

/** Renders a nunjucks template (Backstage's `${{ }}` tags) with JSON-serializable values. */
export async function renderTemplateString(template: string, values: unknown): Promise<string> {
  const s = await sandbox();
  return call(s, s.render, [template, JSON.stringify(values ?? {})]);
}

/** Whether `template` is exactly one `${{ expression }}` (its value then keeps its type, as in Backstage). */
export async function isSingleExpression(template: string): Promise<boolean> {
  const s = await sandbox();
  return call(s, s.isSingle, [template]) === "1";
}
