/**
 * The trial store from a script: opened by path through its interface (TrialStore), read-only unless asked, so a
 * script can read a database another process is writing; and what `embnas export` writes for its trials.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { exportTrial, type ExportedTrial } from '../export/exported-trial.js';
import { trialsCsv } from '../export/csv.js';
import { paretoFront } from '../search/pareto.js';
import { openStore as openSqlite } from '../store/sqlite-store.js';
import type { TrialRecord, TrialStore } from '../store/trial-store.js';

/**
 * Opens the database at `path`, read-only unless `{ write: true }` (searches write through their own connection). A
 * missing file is a UsageError when reading, not a new empty database.
 */
export function openStore(path: string, options: { write?: boolean } = {}): TrialStore {
  if (!options.write && path !== ':memory:' && !existsSync(path)) {
    throw new UsageError(`${path}: no such database`, 'pass the file of an existing search, or start one with runSearch');
  }
  return openSqlite(path, { readonly: !options.write });
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
