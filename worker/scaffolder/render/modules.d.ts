/** Module shapes wrangler's [[rules]] give these imports (CompiledWasm and Text). */
declare module "@jitl/quickjs-wasmfile-release-sync/wasm" {
  const wasm: WebAssembly.Module;
  export default wasm;
}
declare module "nunjucks/browser/nunjucks.min.js" {
  const source: string;
  export default source;
}
