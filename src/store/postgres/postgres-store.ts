/**
 * The TrialStore on PostgreSQL (see trial-store.ts for the contract): one database that searches and their workers on
 * several machines share. The parts: connection.ts (one connection, calls in order, reconnection), pg-schema.ts
 * (tables and migrations), pg-searches.ts (searches, ownership), pg-trials.ts and pg-queue.ts (the trial state
 * machine, the workers' queue), pg-records.ts (events, snapshots, checkpoints).
 */
import { hostname } from 'node:os';
import { staleAfterMsFromEnv } from '../ownership.js';
import type { OpenStoreOptions } from '../store-options.js';
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
} from '../trial-store.js';
import { PgConnection, retryMsFromEnv } from './connection.js';
import type { PgContext } from './pg-context.js';
import { PgQueue } from './pg-queue.js';
import { PgRecords } from './pg-records.js';
import { checkReadablePg, migratePg } from './pg-schema.js';
import { PgSearches } from './pg-searches.js';
import { PgTrials } from './pg-trials.js';
import { checkPostgresUrl, redactUrl } from './pg-url.js';

export class PostgresTrialStore implements TrialStore, PgContext {
  readonly now: () => number;
  readonly staleAfterMs: number;
  readonly host: string;
  private readonly searches: PgSearches;
  private readonly trials: PgTrials;
  private readonly queue: PgQueue;
  private readonly records: PgRecords;

  constructor(
    readonly conn: PgConnection,
    options: OpenStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.staleAfterMs = options.staleAfterMs ?? staleAfterMsFromEnv();
    this.host = options.host ?? hostname();
    this.searches = new PgSearches(this);
    this.trials = new PgTrials(this, this.searches);
    this.queue = new PgQueue(this, this.trials);
    this.records = new PgRecords(this);
  }

  /** The URL with its password redacted. */
  get location(): string {
    return this.conn.where;
  }

  createSearch = (search: NewSearch): Promise<SearchRecord> => this.searches.createSearch(search);
  getSearch = (idOrName: string | number): Promise<SearchRecord> => this.searches.getSearch(idOrName);
  getSummary = (idOrName: string | number): Promise<SearchSummary> => this.searches.getSummary(idOrName);
  listSearches = (): Promise<SearchSummary[]> => this.searches.listSearches();
  setBudget = (searchId: number, budget: number): Promise<void> => this.searches.setBudget(searchId, budget);
  restartSearch = (searchId: number, search: Omit<NewSearch, 'name'>): Promise<SearchRecord> =>
    this.searches.restartSearch(searchId, search);
  setStatus = (searchId: number, status: SearchStatus): Promise<void> => this.searches.setStatus(searchId, status);

  acquire = (searchId: number, owner: Owner): Promise<void> => this.searches.acquire(searchId, owner);
  heartbeat = (searchId: number): Promise<void> => this.searches.heartbeat(searchId);
  release = (searchId: number): Promise<void> => this.searches.release(searchId);
  recoverInterrupted = (searchId: number): Promise<TrialRecord[]> => this.trials.recoverInterrupted(searchId);

  enqueueTrials = (searchId: number, trials: NewTrial[]): Promise<void> => this.trials.enqueue(searchId, trials);
  markRunning = (searchId: number, number: number, worker?: TrialWorker): Promise<void> =>
    this.trials.markRunning(searchId, number, worker);
  recordResults = (searchId: number, results: CompletedOrFailed[], snapshot?: ControllerSnapshot): Promise<void> =>
    this.trials.recordResults(searchId, results, snapshot);
  findCompletedByConfigKey = (searchId: number, key: string): Promise<TrialRecord | undefined> =>
    this.trials.findCompletedByConfigKey(searchId, key);
  getTrial = (searchId: number, number: number): Promise<TrialRecord | undefined> =>
    this.trials.getTrial(searchId, number);
  listTrials = (searchId: number, options?: ListTrialsOptions): Promise<TrialRecord[]> =>
    this.trials.listTrials(searchId, options);
  latestSnapshot = (searchId: number): Promise<StoredSnapshot | undefined> => this.records.latestSnapshot(searchId);

  dispatchTrials = (searchId: number, numbers: number[]): Promise<void> => this.queue.dispatch(searchId, numbers);
  claimTrial = (worker: TrialWorker, options: { searchId?: number } = {}): Promise<TrialRecord | undefined> =>
    this.queue.claim(worker, options.searchId);
  trialHeartbeat = (searchId: number, number: number, worker: TrialWorker, progress?: unknown): Promise<boolean> =>
    this.queue.heartbeat(searchId, number, worker, progress);
  completeClaimed = (searchId: number, worker: TrialWorker, result: CompletedOrFailed): Promise<boolean> =>
    this.queue.completeClaimed(searchId, worker, result);
  releaseClaim = (searchId: number, number: number, worker: TrialWorker): Promise<boolean> =>
    this.queue.release(searchId, number, worker);
  requeueStale = (searchId: number): Promise<TrialRecord[]> => this.queue.requeueStale(searchId);

  saveCheckpoint = (searchId: number, checkpoint: Checkpoint): Promise<void> =>
    this.records.saveCheckpoint(searchId, checkpoint);
  latestCheckpoint = (searchId: number): Promise<StoredCheckpoint | undefined> =>
    this.records.latestCheckpoint(searchId);
  deleteCheckpoint = (searchId: number): Promise<void> => this.records.deleteCheckpoint(searchId);

  appendEvent = (searchId: number, kind: string, payload?: unknown): Promise<number> =>
    this.records.appendEvent(searchId, kind, payload);
  events = (searchId: number, options?: { afterId?: number; limit?: number }): Promise<EventRecord[]> =>
    this.records.events(searchId, options);

  close = (): Promise<void> => this.conn.close();
}

/**
 * Connects to the database at `url` and migrates it (once, under an advisory lock), or — `readonly` — checks that
 * its schema is current and makes every transaction read-only. `mustExist` has no meaning here: the database must.
 */
export async function openPostgresStore(url: string, options: OpenStoreOptions = {}): Promise<PostgresTrialStore> {
  checkPostgresUrl(url); // before the driver, which would throw a bare TypeError
  const where = redactUrl(url);
  const conn = new PgConnection(url, where, {
    retryMs: options.retryMs ?? retryMsFromEnv(),
    readonly: options.readonly === true,
  });
  try {
    if (options.readonly) await conn.run((db) => checkReadablePg(db, where));
    else await conn.transaction((db) => migratePg(db, where));
  } catch (e) {
    await conn.close();
    throw e;
  }
  return new PostgresTrialStore(conn, options);
}
