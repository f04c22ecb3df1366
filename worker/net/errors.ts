/**
 * How an outbound read failed when retrying cannot help. A PermanentReadError is never retried: the file it
 * concerns gets a processing error naming the rule. Transient failures (timeouts, 5xx, network errors,
 * cut-off bodies) are RetryableError (worker/github/errors.ts), which the ingestion path retries on.
 * Messages name the rule and the target, never a response body.
 */
import { RetryableError } from "../github/errors";

/** The timeout passed before the answer (or its whole body) arrived; a RetryableError like any transient failure. */
export class OutboundTimeoutError extends RetryableError {}

export class PermanentReadError extends Error {
  override name = "PermanentReadError";
}

/** The outbound policy refused the request: host, address, scheme, redirect, repository or budget rule. */
export class OutboundRefusedError extends PermanentReadError {
  override name = "OutboundRefusedError";
  constructor(
    message: string,
    /** Which rule refused, e.g. `host-not-allowed`, `address-not-public`, `read-budget`. */
    readonly rule: string,
  ) {
    super(message);
  }
}

/** A body or file over its size cap; the read was aborted as soon as the cap was passed. */
export class TooLargeError extends PermanentReadError {
  override name = "TooLargeError";
}

/** A file that is not valid UTF-8. */
export class FileEncodingError extends PermanentReadError {
  override name = "FileEncodingError";
}

/** An HTTP answer that is neither the file, nor a definitive "not there", nor worth retrying (401, 403, 410, ...). */
export class HttpStatusError extends PermanentReadError {
  override name = "HttpStatusError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
