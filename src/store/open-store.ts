/**
 * Opens a trial store by location. TEMPORARY until the PostgreSQL store lands: SQLite only.
 */
import { openSqliteStore, type OpenStoreOptions } from './sqlite-store.js';
import type { TrialStore } from './trial-store.js';

export function isDatabaseUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<TrialStore> {
  return openSqliteStore(location, options);
}
