/**
 * Opening a trial store by location, whatever holds it: a `postgres://` or `postgresql://` URL is a PostgreSQL
 * database (shared by searches and workers on several machines), anything else a SQLite file (':memory:' for a
 * throwaway store). The CLI's --db (default EMBNAS_DB) is such a location.
 */
import { isPostgresUrl } from './postgres/pg-url.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import type { OpenStoreOptions } from './store-options.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { TrialStore } from './trial-store.js';

/** Whether a location names a database server (PostgreSQL) rather than a SQLite file. */
export function isDatabaseUrl(location: string): boolean {
  return isPostgresUrl(location);
}

/** Opens (creating and migrating when needed) the store at `location`. */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<TrialStore> {
  if (isPostgresUrl(location)) return openPostgresStore(location, options);
  return openSqliteStore(location, options);
}
