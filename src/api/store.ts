/**
 * The trial store from a script: opened by path through its interface (TrialStore), read-only unless asked, so a
 * script can read a database another process is writing; and what `embnas export` writes for its trials.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { exportTrial, type ExportedTrial } from '../export/exported-trial.js';
import { trialsCsv } from '../export/csv.js';
import { paretoFront } from '../search/pareto.js';
import { openStore as openSqlite } from '../store/sqlite-store.js';
import type { TrialRecord, TrialStore } from '../store/trial-store.js';

/**
 * Opens the database at `location` (a path, or a `file:` URL), read-only unless `{ write: true }` (searches write
 * through their own connection). A missing file is a UsageError when reading, not a new empty database.
 */
export function openStore(location: string | URL, options: { write?: boolean } = {}): TrialStore {
  const path = storePath(location);
  if (!options.write && path !== ':memory:' && !existsSync(path)) {
    throw new UsageError(
      `${path}: no such database`,
      'pass the file of an existing search, or start one with runSearch',
    );
  }
  return openSqlite(path, { readonly: !options.write });
}

/** The file of a store given as a path or a `file:` URL (any other URL is a UsageError). */
export function storePath(location: string | URL): string {
  const url =
    location instanceof URL ? location : /^[a-z][a-z0-9+.-]+:\/\//i.test(location) ? new URL(location) : undefined;
  if (url === undefined) return location as string;
  if (url.protocol !== 'file:')
    throw new UsageError(`${url.href}: embnas stores trials in a SQLite file`, 'pass a path or a file: URL');
  return fileURLToPath(url);
}

/** A search's trials in number order. */
export function readTrials(store: TrialStore, search: string | number): TrialRecord[] {
  return store.listTrials(store.getSearch(search).id, { orderBy: 'number' });
}

/** The best completed trial of a search (highest reward) as `embnas export` writes it, or undefined if none. */
export function exportBest(store: TrialStore, search: string | number): ExportedTrial | undefined {
  const record = store.getSearch(search);
  const best = store.listTrials(record.id, { status: ['completed'], orderBy: 'reward' })[0];
  return best === undefined ? undefined : exportTrial(store, record, best);
}

/** Every trial of a search as CSV (`embnas export --format csv`). */
export function exportCsv(store: TrialStore, search: string | number): string {
  return trialsCsv(readTrials(store, search));
}

export { exportTrial, paretoFront, trialsCsv };
