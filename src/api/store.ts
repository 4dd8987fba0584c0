/**
 * The trial store from a script: opened by path or URL through its interface (TrialStore), a SQLite file read-only
 * unless asked, so a script can read a database another process is writing; and what `embnas export` writes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { exportTrial, type ExportedTrial } from '../export/exported-trial.js';
import { trialsCsv } from '../export/csv.js';
import { paretoFront } from '../search/pareto.js';
import { isDatabaseUrl, openStore as openAnyStore } from '../store/open-store.js';
import type { TrialRecord, TrialStore } from '../store/trial-store.js';

/**
 * Opens the store at `location`: a SQLite file (a path, or a `file:` URL), read-only unless `{ write: true }`
 * (searches write through their own connection), or a PostgreSQL database (`postgresql://user@host:port/db`). A
 * missing file is a UsageError when reading, not a new empty database.
 */
export async function openStore(location: string | URL, options: { write?: boolean } = {}): Promise<TrialStore> {
  const path = storePath(location);
  if (isDatabaseUrl(path)) return openAnyStore(path);
  if (!options.write && path !== ':memory:' && !existsSync(path)) {
    throw new UsageError(
      `${path}: no such database`,
      'pass the file of an existing search, or start one with runSearch',
    );
  }
  return openAnyStore(path, { readonly: !options.write });
}

/** Where a store is: a path, a `file:` URL as its path, or a PostgreSQL URL as it is (any other URL is a UsageError). */
export function storePath(location: string | URL): string {
  const text = location instanceof URL ? location.href : location;
  if (isDatabaseUrl(text)) return text;
  const url =
    location instanceof URL ? location : /^[a-z][a-z0-9+.-]+:\/\//i.test(location) ? new URL(location) : undefined;
  if (url === undefined) return location as string;
  if (url.protocol !== 'file:')
    throw new UsageError(
      `${url.protocol}//…: embnas stores trials in a SQLite file or a PostgreSQL database`,
      'pass a path, a file: URL or a postgresql:// URL',
    );
  return fileURLToPath(url);
}

/** A search's trials in number order. */
export async function readTrials(store: TrialStore, search: string | number): Promise<TrialRecord[]> {
  return store.listTrials((await store.getSearch(search)).id, { orderBy: 'number' });
}

/** The best completed trial of a search (highest reward) as `embnas export` writes it, or undefined if none. */
export async function exportBest(store: TrialStore, search: string | number): Promise<ExportedTrial | undefined> {
  const record = await store.getSearch(search);
  const best = (await store.listTrials(record.id, { status: ['completed'], orderBy: 'reward' }))[0];
  return best === undefined ? undefined : exportTrial(store, record, best);
}

/** Every trial of a search as CSV (`embnas export --format csv`). */
export async function exportCsv(store: TrialStore, search: string | number): Promise<string> {
  return trialsCsv(await readTrials(store, search));
}

export { exportTrial, paretoFront, trialsCsv };
