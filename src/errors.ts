/**
 * The two kinds of failure embnas knows.
 *
 * A `UsageError` is the user's to fix: a missing file, a typo in a space, a malformed data line. It is rendered as one
 * line (what went wrong, where, what to do) and exits with code 1. Anything else is a bug: it is rendered with its
 * stack trace and a request to report it, and exits with code 2. See src/cli/render-error.ts.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** @param message one line: what went wrong and where (file and line, or the key path). @param hint what to do. */
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }

  /** The single line shown to the user. */
  toLine(): string {
    return this.hint ? `${this.message} — ${this.hint}` : this.message;
  }
}

export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && e.name === 'UsageError' && typeof (e as UsageError).toLine === 'function';
}
