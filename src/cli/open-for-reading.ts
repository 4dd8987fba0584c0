import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { openStore } from '../store/index.js';
import type { TrialStore } from '../store/trial-store.js';

/** Commands that only read must not create an empty database where the user mistyped a path. */
export function openStoreForReading(db: string): TrialStore {
  if (db !== ':memory:' && !existsSync(db)) {
    throw new UsageError(`${db}: no such database`, 'pass --db <file> of an existing search, or start one with `embnas run <space.yaml>`');
  }
  return openStore(db);
}
