/**
 * Opening the SQLite file: connection pragmas and turning "this is not a database I can use" into a UsageError
 * that names the file, instead of a SqliteError stack trace.
 */
import Database from 'better-sqlite3';
import { UsageError } from '../errors.js';
import { migrate } from './migrations.js';

export const BUSY_TIMEOUT_MS = 5000;

export interface OpenDatabaseOptions {
  /** Refuse a missing file instead of creating it (for commands that only read, like `list` and `show`). */
  mustExist?: boolean;
}

export function isInMemory(file: string): boolean {
  return file === ':memory:' || file === '';
}

function sqliteCode(e: unknown): string | undefined {
  const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function asUsageError(e: unknown, file: string): unknown {
  const code = sqliteCode(e) ?? '';
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB') {
    return new UsageError(`${file} is not a SQLite database`, 'pass an embnas trial database with --db');
  }
  if (code.startsWith('SQLITE_CANTOPEN') || /directory does not exist/.test(message)) {
    return new UsageError(
      `cannot open trial database ${file}`,
      'check that the file (or its folder) exists and is readable, or pass another file with --db',
    );
  }
  if (code === 'SQLITE_CORRUPT') {
    return new UsageError(`${file} is corrupt (${message})`, 'restore it from a backup or pass another file with --db');
  }
  return e;
}

/**
 * Opens (creating when allowed) the database, sets the connection pragmas and migrates the schema.
 * WAL lets `embnas list/show` read while a search writes; synchronous=NORMAL is durable across application crashes
 * in WAL mode (only an OS crash can lose the last commits), which is what makes a commit per trial cheap.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: options.mustExist === true, timeout: BUSY_TIMEOUT_MS });
    if (!isInMemory(file)) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return db;
  } catch (e) {
    db?.close();
    if (options.mustExist && !db && !isInMemory(file) && sqliteCode(e)?.startsWith('SQLITE_CANTOPEN')) {
      throw new UsageError(`trial database ${file} does not exist`, 'start a search with `embnas run <space.yaml>`');
    }
    throw asUsageError(e, file);
  }
}
