/**
 * The TrialStore on SQLite (see trial-store.ts for the contract): the promise-returning face of SqliteCore. Every call
 * runs synchronously inside (better-sqlite3), so calls on one store object can never interleave and a transaction is
 * whole by construction; the promise only lets the same callers drive a store on a database server.
 */
import type Database from 'better-sqlite3';
import { openDatabase } from './open-database.js';
import { SqliteCore, type OpenStoreOptions } from './sqlite-core.js';
import type {
  Checkpoint,
  CompletedOrFailed,
  ControllerSnapshot,
  EventRecord,
  ListTrialsOptions,
  NewSearch,
  NewTrial,
  Owner,
  SearchRecord,
  SearchStatus,
  SearchSummary,
  StoredCheckpoint,
  StoredSnapshot,
  TrialRecord,
  TrialStore,
  TrialWorker,
} from './trial-store.js';

export type { OpenStoreOptions } from './sqlite-core.js';

export class SqliteTrialStore implements TrialStore {
  constructor(readonly core: SqliteCore) {}

  /** The connection, for integrity checks and tests; writing through it bypasses the API (not the triggers). */
  get db(): Database.Database {
    return this.core.db;
  }
  get file(): string {
    return this.core.file;
  }
  get staleAfterMs(): number {
    return this.core.staleAfterMs;
  }

  async createSearch(search: NewSearch): Promise<SearchRecord> {
    return this.core.createSearch(search);
  }
  async getSearch(idOrName: string | number): Promise<SearchRecord> {
    return this.core.getSearch(idOrName);
  }
  async getSummary(idOrName: string | number): Promise<SearchSummary> {
    return this.core.getSummary(idOrName);
  }
  async listSearches(): Promise<SearchSummary[]> {
    return this.core.listSearches();
  }
  async setBudget(searchId: number, trialsBudget: number): Promise<void> {
    this.core.setBudget(searchId, trialsBudget);
  }
  async restartSearch(searchId: number, search: Omit<NewSearch, 'name'>): Promise<SearchRecord> {
    return this.core.restartSearch(searchId, search);
  }
  async setStatus(searchId: number, status: SearchStatus): Promise<void> {
    this.core.setStatus(searchId, status);
  }

  async acquire(searchId: number, owner: Owner): Promise<void> {
    this.core.acquire(searchId, owner);
  }
  async heartbeat(searchId: number): Promise<void> {
    this.core.heartbeat(searchId);
  }
  async release(searchId: number): Promise<void> {
    this.core.release(searchId);
  }
  async recoverInterrupted(searchId: number): Promise<TrialRecord[]> {
    return this.core.recoverInterrupted(searchId);
  }

  async enqueueTrials(searchId: number, trials: NewTrial[]): Promise<void> {
    this.core.enqueueTrials(searchId, trials);
  }
  async markRunning(searchId: number, number: number, worker?: TrialWorker): Promise<void> {
    this.core.markRunning(searchId, number, worker);
  }
  async recordResults(searchId: number, results: CompletedOrFailed[], snapshot?: ControllerSnapshot): Promise<void> {
    this.core.recordResults(searchId, results, snapshot);
  }
  async findCompletedByConfigKey(searchId: number, key: string): Promise<TrialRecord | undefined> {
    return this.core.findCompletedByConfigKey(searchId, key);
  }
  async getTrial(searchId: number, number: number): Promise<TrialRecord | undefined> {
    return this.core.getTrial(searchId, number);
  }
  async listTrials(searchId: number, options?: ListTrialsOptions): Promise<TrialRecord[]> {
    return this.core.listTrials(searchId, options);
  }
  async latestSnapshot(searchId: number): Promise<StoredSnapshot | undefined> {
    return this.core.latestSnapshot(searchId);
  }

  async dispatchTrials(searchId: number, numbers: number[]): Promise<void> {
    this.core.dispatchTrials(searchId, numbers);
  }
  async claimTrial(worker: TrialWorker, options?: { searchId?: number }): Promise<TrialRecord | undefined> {
    return this.core.claimTrial(worker, options);
  }
  async trialHeartbeat(searchId: number, number: number, worker: TrialWorker, progress?: unknown): Promise<boolean> {
    return this.core.trialHeartbeat(searchId, number, worker, progress);
  }
  async completeClaimed(searchId: number, worker: TrialWorker, result: CompletedOrFailed): Promise<boolean> {
    return this.core.completeClaimed(searchId, worker, result);
  }
  async releaseClaim(searchId: number, number: number, worker: TrialWorker): Promise<boolean> {
    return this.core.releaseClaim(searchId, number, worker);
  }
  async requeueStale(searchId: number): Promise<TrialRecord[]> {
    return this.core.requeueStale(searchId);
  }

  async saveCheckpoint(searchId: number, checkpoint: Checkpoint): Promise<void> {
    this.core.saveCheckpoint(searchId, checkpoint);
  }
  async latestCheckpoint(searchId: number): Promise<StoredCheckpoint | undefined> {
    return this.core.latestCheckpoint(searchId);
  }
  async deleteCheckpoint(searchId: number): Promise<void> {
    this.core.deleteCheckpoint(searchId);
  }

  async appendEvent(searchId: number, kind: string, payload?: unknown): Promise<number> {
    return this.core.appendEvent(searchId, kind, payload);
  }
  async events(searchId: number, options?: { afterId?: number; limit?: number }): Promise<EventRecord[]> {
    return this.core.events(searchId, options);
  }

  async close(): Promise<void> {
    this.core.close();
  }
}

/**
 * Opens (creating and migrating when needed) the trial database at `path`; ':memory:' for a throwaway store.
 * Synchronous, SQLite only: `openStore` of open-store.ts opens any location (a PostgreSQL URL too).
 */
export function openSqliteStore(path: string, options: OpenStoreOptions = {}): SqliteTrialStore {
  return new SqliteTrialStore(new SqliteCore(openDatabase(path, options), path, options));
}
