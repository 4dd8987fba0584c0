/**
 * The TrialStore on SQLite (see trial-store.ts for the contract): the promise-returning face of SqliteCore. Every call
 * runs synchronously inside (better-sqlite3), so calls on one store object can never interleave and a transaction is
 * whole by construction; the promise only lets the same callers drive a store on a database server.
 */
import type Database from 'better-sqlite3';
import type { OpenStoreOptions } from '../store-options.js';
import type { TrialStore } from '../trial-store.js';
import { openDatabase } from './open-database.js';
import { SqliteCore } from './sqlite-core.js';

/** The SQLite store: the contract, plus its synchronous core and connection (for integrity checks and tests). */
export type SqliteTrialStore = TrialStore & { readonly core: SqliteCore; readonly db: Database.Database };

/**
 * Every method of the core, answering with a promise of what it returns (a throw becomes a rejection); every other
 * member as it is. SqliteCore implements the synchronous twin of TrialStore, so the compiler checks each method.
 */
export function promising(core: SqliteCore): SqliteTrialStore {
  return new Proxy(core, {
    get(target, key, receiver) {
      if (key === 'core') return target;
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]): Promise<unknown> =>
        (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  }) as unknown as SqliteTrialStore;
}

/**
 * Opens (creating and migrating when needed) the trial database at `path`; ':memory:' for a throwaway store.
 * Synchronous, SQLite only: `openStore` of open-store.ts opens any location (a PostgreSQL URL too).
 */
export function openSqliteStore(path: string, options: OpenStoreOptions = {}): SqliteTrialStore {
  return promising(new SqliteCore(openDatabase(path, options), path, options));
}
