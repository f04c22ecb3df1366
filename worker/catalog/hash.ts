/** Hashing helpers: SHA-1 hex via WebCrypto and a key-sorted JSON form, so equal entities hash equally. */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  let out = "";
  for (const byte of new Uint8Array(digest)) out += HEX[byte];
  return out;
}

/**
 * JSON.stringify with object keys sorted at every level. Arrays keep their order (order is meaningful,
 * which is why process-file sorts the ref arrays Backstage sorts). Undefined properties are dropped as JSON does.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "null";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = sortKeys((value as Record<string, unknown>)[key]);
    // defineProperty so a "__proto__" key stays data instead of replacing the prototype.
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
