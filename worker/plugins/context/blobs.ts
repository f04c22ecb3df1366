/**
 * A plugin's objects in the shared R2 bucket (binding BLOBS), every key under `plugins/<id>/`. The plugin
 * names keys relative to that prefix and never sees it: keys are checked before R2 does (no leading `/`, no
 * `.`/`..` or empty segments, no control characters, bounded length), so no key, prefix or list of one
 * plugin can reach another's objects. Objects are capped in size; refusals are ApiErrors (4xx).
 */
import type { PluginBlobs } from "../../../contract/plugin-worker";
import { ApiError } from "../../errors";

export interface BlobLimits {
  /** Largest object, in bytes. */
  maxObjectBytes: number;
  /** Most keys one `list` returns before asking for a narrower prefix. */
  maxListKeys: number;
}

export const DEFAULT_BLOB_LIMITS: BlobLimits = { maxObjectBytes: 25 * 1024 * 1024, maxListKeys: 10_000 };

/** R2 keys are at most 1024 bytes; the plugin's share leaves room for `plugins/<id>/` (ids ≤ 40). */
export const MAX_BLOB_KEY_BYTES = 900;
const MAX_DELETE_KEYS = 1000;
const MAX_CONTENT_TYPE = 200;
/** Control characters (C0, DEL, C1) and unpaired surrogates: unprintable, or changed when encoded. */
const UNSTORABLE = /[\u0000-\u001f\u007f-\u009f\\]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
const CONTENT_TYPE = /^[\x21-\x7e]+\/[\x21-\x7e]+( *;[\x20-\x7e]*)?$/;

const encoder = new TextEncoder();

export const blobPrefix = (pluginId: string) => `plugins/${pluginId}/`;

function checkKeyText(key: unknown, what: string, allowEmpty: boolean, allowTrailingSlash: boolean): string {
  if (typeof key !== "string") throw new ApiError("InputError", `Blob ${what} must be a string`);
  if (key === "") {
    if (allowEmpty) return key;
    throw new ApiError("InputError", `Blob ${what} must not be empty`);
  }
  if (encoder.encode(key).byteLength > MAX_BLOB_KEY_BYTES) throw new ApiError("InputError", `Blob ${what} is longer than ${MAX_BLOB_KEY_BYTES} bytes`);
  if (UNSTORABLE.test(key)) throw new ApiError("InputError", `Blob ${what} contains a control character, a backslash or an unpaired surrogate`);
  if (key.startsWith("/")) throw new ApiError("InputError", `Blob ${what} must not start with '/' (keys are relative to the plugin's own space)`);
  const segments = key.split("/");
  if (allowTrailingSlash && segments[segments.length - 1] === "") segments.pop();
  for (const s of segments) {
    if (s === "" || s === "." || s === "..") throw new ApiError("InputError", `Blob ${what} '${key.slice(0, 100)}' has an empty, '.' or '..' segment`);
  }
  return key;
}

export const checkBlobKey = (key: unknown) => checkKeyText(key, "key", false, false);

function bytesOf(data: unknown): Uint8Array | string {
  if (typeof data === "string") return data;
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new ApiError("InputError", "Blob data must be a string, an ArrayBuffer or a Uint8Array");
}

function contentTypeOf(given: unknown, key: string): string {
  if (given === undefined) return guessContentType(key);
  if (typeof given !== "string" || given.length > MAX_CONTENT_TYPE || !CONTENT_TYPE.test(given)) {
    throw new ApiError("InputError", `Blob content types are a 'type/subtype' of at most ${MAX_CONTENT_TYPE} printable characters`);
  }
  return given;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  json: "application/json",
  md: "text/markdown; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

function guessContentType(key: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase();
  return (ext && Object.hasOwn(TYPES, ext) && TYPES[ext]) || "application/octet-stream";
}

export function createPluginBlobs(bucket: R2Bucket, pluginId: string, limits: BlobLimits = DEFAULT_BLOB_LIMITS): PluginBlobs {
  const base = blobPrefix(pluginId);
  return {
    async get(key) {
      const object = await bucket.get(base + checkBlobKey(key));
      if (!object) return null;
      return { body: object.body, contentType: object.httpMetadata?.contentType ?? "application/octet-stream", etag: object.httpEtag, size: object.size };
    },

    async put(key, data, options = {}) {
      const checked = checkBlobKey(key);
      const body = bytesOf(data);
      const size = typeof body === "string" ? encoder.encode(body).byteLength : body.byteLength;
      if (size > limits.maxObjectBytes) {
        throw new ApiError("PayloadTooLargeError", `Plugin ${pluginId}'s objects are limited to ${limits.maxObjectBytes} bytes; this one is ${size}`);
      }
      await bucket.put(base + checked, body, { httpMetadata: { contentType: contentTypeOf(options?.contentType, checked) } });
    },

    async delete(keys) {
      const list = typeof keys === "string" ? [keys] : Array.isArray(keys) ? keys : null;
      if (!list) throw new ApiError("InputError", "Blob delete takes a key or an array of keys");
      const checked = list.map((k) => base + checkBlobKey(k));
      for (let i = 0; i < checked.length; i += MAX_DELETE_KEYS) await bucket.delete(checked.slice(i, i + MAX_DELETE_KEYS));
    },

    async list(prefix = "") {
      const full = base + checkKeyText(prefix, "prefix", true, true);
      const out: { key: string; size: number; etag: string }[] = [];
      let cursor: string | undefined;
      do {
        const page = await bucket.list({ prefix: full, cursor, limit: 1000 });
        for (const o of page.objects) {
          // R2 matched the prefix already; the check keeps a key outside the plugin's space from ever being named.
          if (o.key.startsWith(base)) out.push({ key: o.key.slice(base.length), size: o.size, etag: o.httpEtag });
        }
        if (out.length > limits.maxListKeys) {
          throw new ApiError("InputError", `More than ${limits.maxListKeys} objects under '${prefix}': list a narrower prefix`);
        }
        cursor = page.truncated ? page.cursor : undefined;
      } while (cursor);
      return out;
    },
  };
}
