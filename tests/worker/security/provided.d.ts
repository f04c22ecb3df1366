/** What the canary globalSetup (canary-server.mjs) provides to the security tests. */
declare module "vitest" {
  export interface ProvidedContext {
    canary: { url: string; port: number; secret: string; control: string };
  }
}
export {};
