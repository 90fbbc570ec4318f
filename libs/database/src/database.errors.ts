/** A misconfiguration of the database layer; `code` is stable and safe to log. */
export class DatabaseConfigError extends Error {
  constructor(
    readonly code: 'DATABASE.INVALID_SCHEMA_NAME' | 'DATABASE.SCHEMA_MISSING',
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
