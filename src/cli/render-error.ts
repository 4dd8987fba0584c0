/**
 * The one place errors reach the user. A UsageError is the user's to fix: one line, exit code 1. So is a failure of
 * the machine (a full disk, a read-only file, a locked database: see src/environment-error.ts), whoever threw it.
 * Anything else is a bug in embnas: the stack trace and a request to report it, exit code 2.
 */
import { environmentError } from '../environment-error.js';
import { isUsageError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_BUG = 2;

export function renderError(thrown: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  const error = isUsageError(thrown) ? thrown : (environmentError(thrown) ?? thrown);
  if (isUsageError(error)) {
    write(`embnas: ${error.toLine()}\n`);
    return EXIT_USAGE;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`embnas: internal error — this is a bug in embnas, please report it with the text below.\n${detail}\n`);
  return EXIT_BUG;
}
