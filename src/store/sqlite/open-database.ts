/**
 * Opening the SQLite file: connection pragmas and turning "this is not a database I can use" into a UsageError
 * that names the file, instead of a SqliteError stack trace. Commands that only read open it read-only, so that they
 * work on a file or a mount they cannot write (and never write by accident).
 */
import { existsSync, readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { environmentError, errorCode, noteDatabaseFile } from '../../environment-error.js';
import { UsageError } from '../../errors.js';
import { migrate, needsMigration } from './migrations.js';
import { connect } from './sqlite-connection.js';
import type { OpenStoreOptions } from '../store-options.js';

export const BUSY_TIMEOUT_MS = 5000;

export function isInMemory(file: string): boolean {
  return file === ':memory:' || file === '';
}

function asUsageError(e: unknown, file: string): unknown {
  const code = errorCode(e) ?? '';
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB') {
    return new UsageError(`${file} is not a SQLite database`, 'pass an embnas trial database with --db');
  }
  if (code.startsWith('SQLITE_CANTOPEN') || /directory does not exist/.test(message)) {
    if (!existsSync(file)) {
      return new UsageError(
        `cannot create trial database ${file}`,
        'check that its folder exists and is writable, or pass another file with --db',
      );
    }
    return new UsageError(
      `cannot open trial database ${file}`,
      'check that the file and its folder are readable (and writable, for a command that writes), or pass another file with --db',
    );
  }
  if (code === 'SQLITE_CORRUPT') {
    return new UsageError(`${file} is corrupt (${message})`, 'restore it from a backup or pass another file with --db');
  }
  return environmentError(e, file) ?? e;
}

/**
 * Opens (creating when allowed) the database, sets the connection pragmas and migrates the schema.
 * WAL lets `embnas list/show` read while a search writes; synchronous=NORMAL is durable across application crashes
 * in WAL mode (only an OS crash can lose the last commits), which is what makes a commit per trial cheap.
 */
export function openDatabase(file: string, options: OpenStoreOptions = {}): Database.Database {
  const readonly = options.readonly === true && !isInMemory(file);
  const mustExist = options.mustExist === true || readonly;
  let db: Database.Database | undefined;
  try {
    if (!isInMemory(file)) noteDatabaseFile(file);
    db = readonly ? openReadonly(file) : connect(file, { fileMustExist: mustExist, timeout: BUSY_TIMEOUT_MS });
    if (!isInMemory(file) && !readonly) db.pragma('journal_mode = WAL');
    if (!readonly) db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    if (readonly) checkReadable(db, file);
    else migrate(db, file);
    return db;
  } catch (e) {
    db?.close();
    if (mustExist && !db && !isInMemory(file) && errorCode(e)?.startsWith('SQLITE_CANTOPEN') && !existsSync(file)) {
      throw new UsageError(`trial database ${file} does not exist`, 'start a search with `embnas run <space.yaml>`');
    }
    throw asUsageError(e, file);
  }
}

/**
 * A WAL database is read through its -shm file, which SQLite creates beside the database when missing: in a folder
 * nobody may write (a read-only mount or folder) that fails (SQLITE_READONLY_DIRECTORY). No process can be writing
 * the file there, so a copy of it in memory is as good: its header is switched from WAL to the rollback journal,
 * which is all an in-memory database can read.
 */
function openReadonly(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = connect(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (e) {
    db?.close();
    if (!db && !existsSync(file)) throw e;
    const code = errorCode(e) ?? '';
    if (!code.startsWith('SQLITE_CANTOPEN') && !code.startsWith('SQLITE_READONLY')) throw e;
    const copy = readFileSync(file);
    // Bytes 18 and 19 of the header: file format write and read versions, 2 = WAL, 1 = rollback journal.
    if (copy.length >= 100 && copy[18] === 2 && copy[19] === 2) copy[18] = copy[19] = 1;
    return connect(copy, { readonly: true });
  }
}

/** A read-only connection cannot migrate: an older schema (or an empty file) is the user's to bring up to date. */
function checkReadable(db: Database.Database, file: string): void {
  const need = needsMigration(db, file);
  if (need === 'fresh')
    throw new UsageError(`${file} holds no searches yet`, `start one with \`embnas run <space.yaml> --db ${file}\``);
  if (need !== undefined) {
    throw new UsageError(
      `${file} has an older schema (version ${need.from}, this embnas uses ${need.to}) and this command only reads`,
      `upgrade it once with a command that writes, e.g. \`embnas resume <search> --db ${file}\`, then run this again`,
    );
  }
}
