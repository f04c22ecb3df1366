import { describe, expect, it } from "vitest";
import { ApiError, errorFromResponse, isNotFound, parseErrorBody, request } from "../../web/src/api/request";

const envelope = (name: string, message: string, statusCode: number) => ({
  error: { name, message },
  request: { method: "GET", url: "/api/catalog/entities/by-name/component/default/x" },
  response: { statusCode },
});

function fakeFetch(res: Response | Error): typeof fetch {
  return (async () => {
    if (res instanceof Error) throw res;
    return res;
  }) as typeof fetch;
}

function jsonResponse(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

describe("parseErrorBody", () => {
  it("reads name, message and status from Backstage's error envelope", () => {
    const err = parseErrorBody(404, "Not Found", envelope("NotFoundError", "No entity named 'x' found", 404));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ name: "NotFoundError", message: "No entity named 'x' found", status: 404 });
  });

  it("keeps the request id when the server adds one", () => {
    const body = envelope("InputError", "bad filter", 400);
    (body.error as Record<string, unknown>).requestId = "req-1";
    expect(parseErrorBody(400, "", body).requestId).toBe("req-1");
  });

  it("prefers response.statusCode over the HTTP status", () => {
    expect(parseErrorBody(500, "", envelope("ConflictError", "taken", 409)).status).toBe(409);
  });

  it("falls back to a name derived from the status when the envelope is incomplete", () => {
    // Like catalog-client, an envelope needs both `error` and `response`.
    const err = parseErrorBody(404, "Not Found", { error: { name: "X", message: "y" } });
    expect(err).toMatchObject({ name: "NotFoundError", status: 404 });
    expect(err.message).toContain("404 Not Found");
  });

  it("names unknown statuses Error", () => {
    expect(parseErrorBody(502, "Bad Gateway", "<html>").name).toBe("Error");
  });

  it("fills a missing name or message", () => {
    const err = parseErrorBody(400, "", { error: {}, response: { statusCode: 400 } });
    expect(err).toMatchObject({ name: "InputError", status: 400 });
    expect(err.message).toBe("Request failed with status 400");
  });
});

describe("errorFromResponse", () => {
  it("parses JSON bodies", async () => {
    const err = await errorFromResponse(jsonResponse(envelope("NotAllowedError", "nope", 403), 403));
    expect(err).toMatchObject({ name: "NotAllowedError", message: "nope", status: 403 });
  });

  it("does not choke on HTML error pages", async () => {
    const err = await errorFromResponse(new Response("<h1>oops</h1>", { status: 503, statusText: "Service Unavailable", headers: { "content-type": "text/html" } }));
    expect(err).toMatchObject({ name: "ServiceUnavailableError", status: 503 });
  });

  it("does not choke on malformed JSON", async () => {
    const err = await errorFromResponse(new Response("{not json", { status: 500, headers: { "content-type": "application/json" } }));
    expect(err).toMatchObject({ name: "Error", status: 500 });
  });
});

describe("request", () => {
  it("returns parsed JSON on success", async () => {
    await expect(request("/api/x", { fetch: fakeFetch(jsonResponse({ ok: 1 }, 200)) })).resolves.toEqual({ ok: 1 });
  });

  it("throws an ApiError built from the envelope", async () => {
    const p = request("/api/x", { fetch: fakeFetch(jsonResponse(envelope("NotFoundError", "gone", 404), 404)) });
    await expect(p).rejects.toMatchObject({ name: "NotFoundError", message: "gone", status: 404 });
    await expect(p).rejects.toSatisfy(isNotFound);
  });

  it("turns a failed fetch into a NetworkError with status 0", async () => {
    await expect(request("/api/x", { fetch: fakeFetch(new TypeError("Failed to fetch")) })).rejects.toMatchObject({ name: "NetworkError", status: 0 });
  });

  it("lets aborts through untouched", async () => {
    const abort = new DOMException("The operation was aborted.", "AbortError");
    await expect(request("/api/x", { fetch: fakeFetch(abort) })).rejects.toBe(abort);
  });

  it("reports a success response that is not JSON", async () => {
    await expect(request("/api/x", { fetch: fakeFetch(new Response("<html>", { status: 200 })) })).rejects.toMatchObject({ name: "ParseError" });
  });

  it("sends bodies as JSON with POST", async () => {
    let seen: RequestInit | undefined;
    const f = (async (_: unknown, init?: RequestInit) => {
      seen = init;
      return jsonResponse({ items: [] }, 200);
    }) as typeof fetch;
    await request("/api/catalog/entities/by-refs", { body: { entityRefs: ["a:b/c"] }, fetch: f });
    expect(seen?.method).toBe("POST");
    expect(seen?.body).toBe('{"entityRefs":["a:b/c"]}');
    expect((seen?.headers as Record<string, string>)["content-type"]).toBe("application/json");
  });
});
