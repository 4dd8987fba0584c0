/**
 * Failures that come from the machine, not from embnas: a full disk, a read-only file or mount, a missing folder, a
 * permission, a database locked by another process. They are the user's to fix, so they must read like any other
 * UsageError (one line naming the path and what to do, exit code 1), never like a bug.
 *
 * `environmentError` is the one mapping from an error code (Node's errno codes, SQLite's result codes) to that line.
 * Code that knows the path it writes wraps the write (`writingFile`); the CLI's renderer maps whatever else escapes,
 * naming the trial database this process opened when SQLite, which never names its file, reports the failure.
 */
import { UsageError } from './errors.js';

/** The trial database this process opened last: the file SQLite's own errors are about. */
let databaseFile: string | undefined;

export function noteDatabaseFile(file: string): void {
  databaseFile = file;
}

/** The error's code (`ENOSPC`, `SQLITE_FULL`, `SQLITE_READONLY_DBMOVED`, …), when it has one. */
export function errorCode(e: unknown): string | undefined {
  const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

const AGAIN = 'then run the command again (an interrupted search continues with `embnas resume <search>`)';

/** One line for each errno code a write (or an open for writing) can meet; `file` is the path, when known. */
function fileError(code: string, file: string | undefined): UsageError | undefined {
  const at = file === undefined ? '' : `${file}: `;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new UsageError(
        `${at}no space left on the device (${code})`,
        `free some space or choose another place, ${AGAIN}`,
      );
    case 'EROFS':
      return new UsageError(`${at}the file system is read-only (EROFS)`, 'choose a path on a writable disk');
    case 'EACCES':
    case 'EPERM':
      return new UsageError(
        `${at}permission denied (${code})`,
        'check the permissions of the file and its folder, or choose another path',
      );
    case 'ENOENT':
      return new UsageError(`${at}no such file or folder (ENOENT)`, 'create the folder first, or choose another path');
    case 'ENOTDIR':
      return new UsageError(`${at}a part of the path is not a folder (ENOTDIR)`, 'choose another path');
    case 'EISDIR':
      return new UsageError(
        `${at}is a folder, not a file (EISDIR)`,
        'pass the path of a file (inside the folder, or elsewhere)',
      );
    case 'EMFILE':
    case 'ENFILE':
      return new UsageError(
        `${at}too many open files (${code})`,
        'raise the open-file limit (ulimit -n) or close other programs',
      );
    default:
      return undefined;
  }
}

/** One line for each SQLite result code that is about the machine; `file` is the database, `what` its kind. */
function sqliteError(code: string, file: string | undefined, message: string, what: string): UsageError | undefined {
  const db = file === undefined ? `the ${what}` : `${what} ${file}`;
  if (code === 'SQLITE_FULL')
    return new UsageError(`${db}: the disk is full (SQLITE_FULL)`, `free some space, ${AGAIN}`);
  if (code.startsWith('SQLITE_READONLY')) {
    return new UsageError(
      `${db} is read-only (${code})`,
      'make the file and its folder writable (the -wal and -shm files live beside it), or pass another file with --db',
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new UsageError(
      `cannot open ${db} (${code})`,
      'check that the file (or its folder) exists and is readable, or pass another file with --db',
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new UsageError(
      `${db} stayed locked by another process (${code})`,
      'wait for the other embnas command to finish, then run this one again',
    );
  }
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH')
    return new UsageError(`${db}: permission denied (${code})`, 'check the permissions of the file and its folder');
  if (code.startsWith('SQLITE_IOERR')) {
    return new UsageError(
      `${db}: disk I/O error (${code}: ${message})`,
      `check the disk (space, mount, permissions), ${AGAIN}`,
    );
  }
  return undefined;
}

/**
 * The UsageError an environment failure deserves, or undefined when `e` is not one (a bug, or already a UsageError).
 * `file` names the path when the caller knows it; otherwise the error's own path (Node's fs errors carry one), or for
 * SQLite errors the trial database this process opened.
 */
export function environmentError(e: unknown, file?: string, what = 'trial database'): UsageError | undefined {
  const code = errorCode(e);
  if (code === undefined) return undefined;
  if (code.startsWith('SQLITE_')) {
    const message = e instanceof Error ? e.message : String(e);
    return sqliteError(code, file ?? databaseFile, message, what);
  }
  return fileError(code, file ?? (e as NodeJS.ErrnoException).path);
}

/** Runs `write` (which writes `file`); an environment failure becomes a UsageError naming `file` (a `what`, for SQLite). */
export function writingFile<T>(file: string, write: () => T, what?: string): T {
  try {
    return write();
  } catch (e) {
    throw environmentError(e, file, what) ?? e;
  }
}
