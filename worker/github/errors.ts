/**
 * How a GitHub call failed, which decides what the queue does with the job: a RetryableError (rate limit,
 * 5xx, timeout, cut-off body) is retried later with its delay; a GithubApiError (other 4xx: bad credentials,
 * no access) will not heal by retrying, so the job goes to the dead letters at once for an admin to replay.
 */
export class RetryableError extends Error {
  override readonly name = "RetryableError";
  constructor(
    message: string,
    /** Seconds to wait before the next attempt: the rate-limit reset, or a backoff. */
    readonly delaySeconds: number,
    /** False for rate limits: retrying within the same job would only hit the limit again. */
    readonly retryInline = true,
  ) {
    super(message);
  }
}

export class GithubApiError extends Error {
  override readonly name = "GithubApiError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Another job holds this repo's lease; not a failure, so it never counts towards the dead letters. */
export class RepoBusyError extends Error {
  override readonly name = "RepoBusyError";
}
