/** Bytes of a catalog file → text: strict UTF-8, a leading byte-order mark dropped (TextDecoder's default). */
import { FileEncodingError } from "./errors";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new FileEncodingError(`${what} is not valid UTF-8 text`);
  }
}
