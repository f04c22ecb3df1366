/**
 * @module The proxy tests' upstream: an HTTP server on 127.0.0.1 (the worker project's globalSetup, beside
 * the security canary) that records every request it gets, raw, and answers as the test asks:
 *   .../redirect?to=<location>&status=302   a redirect to wherever `to` says (a hostile upstream)
 *   .../big?bytes=N[&declared=1]            N bytes, streamed in 16 KiB chunks (with Content-Length when declared)
 *   .../slow?ms=N, .../slow-body?ms=N       headers (or the body) only after N ms
 *   .../headers                             an answer full of headers no proxy may pass on
 *   .../status?code=N                       that status, empty body
 *   anything else                           200 JSON echo of what arrived: method, raw URL, raw headers, body
 * Every test file proxies to its own base path `/f-<random>/api`, so a hit anywhere else is an escape
 * (tests/worker/proxy/helpers.ts checks the whole hit list). Requests under the control path (only the tests
 * know it) are not recorded: they read the hit list.
 */
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";

/** @param {import("vitest/node").TestProject} project */
export default async function setup(project) {
  const control = `/__control-${randomBytes(8).toString("hex")}`;
  /** @type {{ method: string, url: string, headers: string[], body: string }[]} */
  const hits = [];
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith(`${control}/`)) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(url.startsWith(`${control}/hits`) ? hits : { ok: true }));
      return;
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const hit = { method: req.method ?? "GET", url, headers: req.rawHeaders, body };
      hits.push(hit);
      answer(req, res, url, hit);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("proxy target did not get a TCP port");
  project.provide("proxyTarget", { url: `http://127.0.0.1:${address.port}`, port: address.port, control });
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve(undefined));
    });
}

/**
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 */
function answer(req, res, rawUrl, hit) {
  const url = new URL(rawUrl, "http://target.invalid");
  const q = url.searchParams;
  const last = url.pathname.split("/").pop();
  if (last === "redirect") {
    res.writeHead(Number(q.get("status") ?? 302), { location: q.get("to") ?? "/" });
    res.end("redirecting");
    return;
  }
  if (last === "big") {
    const total = Number(q.get("bytes") ?? 0);
    res.writeHead(200, { "content-type": "application/octet-stream", ...(q.get("declared") ? { "content-length": String(total) } : {}) });
    let sent = 0;
    const chunk = Buffer.alloc(16 * 1024, 120);
    const pump = () => {
      while (sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!res.write(chunk.subarray(0, n))) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("error", () => {});
    pump();
    return;
  }
  if (last === "slow") {
    const timer = setTimeout(() => res.end("late"), Number(q.get("ms") ?? 1000));
    res.on("close", () => clearTimeout(timer));
    return;
  }
  if (last === "slow-body") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("first part;");
    const timer = setTimeout(() => res.end("late part"), Number(q.get("ms") ?? 1000));
    res.on("close", () => clearTimeout(timer));
    return;
  }
  if (last === "headers") {
    res.writeHead(200, [
      ["content-type", "application/json"],
      ["set-cookie", "upstream=1; Path=/"],
      ["set-cookie", "__Host-edgestage-session=stolen; Path=/; Secure"],
      ["clear-site-data", '"*"'],
      ["refresh", "0; url=https://evil.example/"],
      ["location", "https://evil.example/"],
      ["connection", "x-hop"],
      ["x-hop", "hop-by-hop by Connection"],
      ["x-total-count", "5"],
      ["x-internal", "not listed"],
      ["cache-control", "public, max-age=60, s-maxage=600"],
      ["etag", '"v1"'],
      ["www-authenticate", 'Basic realm="upstream"'],
      ["access-control-allow-origin", "*"],
      ["strict-transport-security", "max-age=1"],
      ["content-security-policy", "script-src *"],
    ].flat());
    res.end(JSON.stringify({ headers: true }));
    return;
  }
  if (last === "status") {
    res.writeHead(Number(q.get("code") ?? 200));
    res.end();
    return;
  }
  res.writeHead(200, { "content-type": "application/json", "x-echo": "1" });
  res.end(JSON.stringify({ echo: true, ...hit }));
}
