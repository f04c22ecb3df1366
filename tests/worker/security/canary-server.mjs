/**
 * @module A canary for the security tests: an HTTP server on 127.0.0.1 standing in for an internal service
 * the worker must never reach. It records every request and answers with a secret body, so a test can
 * assert both that nothing reached it and that no answer carries its body. Started once per run as the
 * worker project's globalSetup; its URL, secret and control path reach the tests through `provide`.
 * Requests under the control path (which only the tests know) are not recorded: they read the hit list.
 */
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";

/** @param {import("vitest/node").TestProject} project */
export default async function setup(project) {
  const secret = `canary-secret-${randomBytes(8).toString("hex")}`;
  const control = `/__control-${randomBytes(8).toString("hex")}`;
  /** @type {{ method: string, url: string }[]} */
  const hits = [];
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith(`${control}/`)) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(url === `${control}/hits` ? hits : { ok: true }));
      return;
    }
    hits.push({ method: req.method ?? "GET", url });
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`${secret}\nkind: Component\n`);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("canary did not get a TCP port");
  project.provide("canary", { url: `http://127.0.0.1:${address.port}`, port: address.port, secret, control });
  return () => new Promise((resolve) => server.close(() => resolve(undefined)));
}
