/**
 * Every better-sqlite3 connection embnas makes comes from here, and none of its objects is ever garbage collected
 * while the process runs.
 *
 * Why: better-sqlite3's Database and Statement are `node::ObjectWrap`s. Built against the headers of Node 24.21 (and
 * other recent lines), an ObjectWrap registers an environment cleanup hook when made and removes it in its destructor;
 * when the garbage collector destroys one at a moment when Node cannot name the current environment (seen on the main
 * thread while worker threads start and end), Node aborts the whole process: `RemoveEnvironmentCleanupHook … Assertion
 * failed: (env) != nullptr`. A connection from `connect` is therefore kept reachable until the process exits, where
 * Node's own cleanup destroys it in order, and so is each statement it prepares: `prepare` returns one statement per
 * SQL text (a statement may be run any number of times), and `pragma` goes through it too (better-sqlite3's own
 * pragma() prepares a throwaway statement each call). The cost is one small object per distinct statement and per
 * connection ever opened, kept after `close()`. The lint forbids importing better-sqlite3's value anywhere else.
 *
 * better-sqlite3 is a native module built at install; an install that skipped its build (npm 12 runs only the install
 * scripts a project approves) or built it for another Node.js is a usage error naming the command that builds it.
 */
import Database from 'better-sqlite3';
import { UsageError } from '../../errors.js';

const kept = new Set<Database.Database>();

/** A connection whose objects outlive every garbage collection (see above); the options are better-sqlite3's. */
export function connect(source: string | Buffer, options: Database.Options = {}): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(source, options);
  } catch (e) {
    throw notBuilt(e) ?? e;
  }
  kept.add(db);
  const statements = new Map<string, Database.Statement>();
  const prepareNew = db.prepare.bind(db);
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = prepareNew(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  db.prepare = prepare as Database.Database['prepare'];
  db.pragma = ((source: string, pragmaOptions?: Database.PragmaOptions): unknown => {
    const statement = prepare(`PRAGMA ${source}`);
    if (!statement.reader) {
      statement.run();
      return pragmaOptions?.simple ? undefined : [];
    }
    if (!pragmaOptions?.simple) return statement.all();
    const row = statement.get() as Record<string, unknown> | undefined;
    return row === undefined ? undefined : Object.values(row)[0];
  }) as Database.Database['pragma'];
  return db;
}

/**
 * better-sqlite3 loads its build at the first connection: `bindings` says "Could not locate the bindings file" when there
 * is none, and Node's loader "compiled against a different Node.js version" (ERR_DLOPEN_FAILED) when it is stale.
 */
export function notBuilt(e: unknown): UsageError | undefined {
  const message = e instanceof Error ? e.message : String(e);
  const missing = /Could not locate the bindings file/.test(message);
  const stale = /NODE_MODULE_VERSION|different Node\.js version/.test(message);
  if (!missing && !stale) return undefined;
  return new UsageError(
    `the native module better-sqlite3 (the SQLite trial store) ${missing ? 'was not built at install' : `was built for another Node.js than this one (${process.version})`}`,
    'build it where embnas is installed: `npm rebuild better-sqlite3` (npm 12 first approves its install script: `npm install-scripts approve better-sqlite3`)',
  );
}

/** How many connections this process has made (for the test that nothing is left to the garbage collector). */
export function connectionsKept(): number {
  return kept.size;
}
