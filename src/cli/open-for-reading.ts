/**
 * The store as the commands that only read see it (`list`, `show`, `export`): opened read-only, so they never create
 * an empty database where the user mistyped a path, never write, and work on a file or a mount they cannot write.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { isDatabaseUrl, openStore } from '../store/index.js';
import type { TrialStore } from '../store/trial-store.js';

export async function openStoreForReading(db: string): Promise<TrialStore> {
  if (db !== ':memory:' && !isDatabaseUrl(db) && !existsSync(db)) {
    throw new UsageError(
      `${db}: no such database`,
      'pass --db <file> of an existing search, or start one with `embnas run <space.yaml>`',
    );
  }
  return await openStore(db, { readonly: true });
}
