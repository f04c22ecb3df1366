/** A job that can never succeed as sent (an unknown plugin, a refused payload): dead-lettered at once, not retried. */
export class PermanentJobError extends Error {
  override readonly name = "PermanentJobError";
}
