/** The one error type the pure catalog model throws; `name` is a Backstage error name so routes can map it to a status. */

export type ModelErrorName = "InputError" | "NotFoundError" | "ConflictError" | "NotAllowedError";

export class ModelError extends Error {
  override readonly name: ModelErrorName;
  /** Dotted path of the offending field (e.g. `spec.dependsOn`), when the error is about one field. */
  readonly field?: string;

  constructor(name: ModelErrorName, message: string, field?: string) {
    super(message);
    this.name = name;
    if (field !== undefined) this.field = field;
  }
}
