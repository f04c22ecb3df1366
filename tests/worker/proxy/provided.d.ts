/** What the proxy target globalSetup (target-server.mjs) provides to the proxy tests. */
declare module "vitest" {
  export interface ProvidedContext {
    proxyTarget: { url: string; port: number; control: string };
  }
}
export {};
