/**
 * The trial store: everything a search leaves behind (searches, trials, controller snapshots, an event log), kept in
 * one SQLite file so that a search can be stopped, resumed, listed and exported by another process later.
 *
 * Contract — what every implementation promises (test/store/store-contract.test.ts checks each one):
 *
 * 1. One writer per search. Only the process that owns a search writes its search-level state (status, budget,
 *    trials enqueued, controller snapshots); worker threads never touch the store. Every method returns a promise,
 *    and every write method is one transaction: it happens completely or not at all. Calls on one store object run
 *    in call order, one at a time (a transaction is never interleaved with another call on the same object).
 *
 * 2. Trial lifecycle. `queued → running → completed | failed`. `markRunning` accepts only a queued trial;
 *    `recordResults` accepts only a queued or running one (a queued trial may complete directly when it is a cache
 *    hit). A trial left `running` without a live owner becomes `interrupted` and is re-queued by
 *    `recoverInterrupted` with the same number, config and seed, its `attempts` incremented.
 *
 * 3. Immutability. A completed trial is never modified or deleted, by this API or by raw SQL: the database refuses it
 *    (a trigger), and the API throws before trying. The event log and controller snapshot history are append-only
 *    in the same way.
 *
 * 4. Atomic observation. `recordResults` writes results and, when one is given, the controller snapshot taken after
 *    observing them, in one transaction. A search may write each result the moment it finishes (no finished work is
 *    lost on a kill) and pass the snapshot with the last result of the batch it observed; the snapshot's `step`
 *    says how many trials (numbers 0..step-1) it has observed. Resume = load the latest snapshot + re-queue what is
 *    unfinished, nothing else.
 *
 * 5. Numbering. Trial numbers are unique per search and chosen by the caller (the controller's proposal order);
 *    enqueueing an existing number throws and enqueues nothing of that batch.
 *
 * 6. Ownership. A search is owned by at most one process run (pid, host, run id). `acquire` succeeds when the search
 *    is unowned, already owned by the caller, or its owner is dead (promise 11). Otherwise it throws a UsageError
 *    naming the owner's pid, host, run and heartbeat age. `heartbeat` throws once another process has taken the search
 *    over, so a process that lost its search stops writing.
 *
 * 7. Ordering. `listTrials` orders by number ascending, or by reward descending (ties by number ascending, trials
 *    without a reward last). `events` returns the log in append order. `latestSnapshot` is the most recently
 *    written snapshot. `listSearches` orders by creation.
 *
 * 8. Schema. Opening migrates an older file forward once (idempotent: opening twice changes nothing) before any
 *    worker starts; a file written by a newer embnas, or a file that is not an embnas database, is refused with a
 *    UsageError naming the file.
 *
 * 9. Checkpoints. A search keeps at most one checkpoint of a long computation (a one-shot search's supernet):
 *    `saveCheckpoint` replaces the previous one whole in one transaction, so `latestCheckpoint` returns either the old
 *    or the new payload byte for byte, never a mix; `deleteCheckpoint` drops it. Checkpoints are the only mutable
 *    record, and they never hold a result: whatever a computation finished is also written as trials or events.
 *
 * 10. Restart. A search that nothing has happened to yet — no trial, no controller snapshot, no checkpoint — may be
 *    started again in place with another space, seed and budget (`restartSearch`: one transaction, a
 *    'search_restarted' event, status `running`); once any of those exists it throws and changes nothing.
 *
 * 11. Liveness. An owner whose heartbeat is older than the staleness window (`staleAfterMs`: EMBNAS_HEARTBEAT_TIMEOUT_S,
 *    default 30 s) is dead, on any host and whatever process now has its pid. Within the window, an owner on another
 *    host is alive; on this host it is alive while its pid exists — unless that pid is the reader's own and the run
 *    id is not (the pid was reused). `getSearch`/`getSummary`/`listSearches` report this as `owner.alive`.
 *
 * All timestamps are milliseconds since the Unix epoch. JSON columns (config, epochs, snapshot state, event payload)
 * are stored as text.
 */
import type { TrialConfig, TrialResult } from '../engine/trial-config.js';

export type SearchStatus = 'running' | 'stopped' | 'finished' | 'failed';
export type TrialStatus = 'queued' | 'running' | 'completed' | 'failed' | 'interrupted';

/** Who runs a search: a process on a host, one run of it (a random id per process; absent in rows from before). */
export interface Owner {
  pid: number;
  host: string;
  run?: string;
}

export interface OwnerRecord extends Owner {
  heartbeatAt: number;
  /** Whether the owner looked alive when the record was read (promise 11: heartbeat age, and the pid on this host). */
  alive: boolean;
}

export interface SearchRecord {
  id: number;
  name: string;
  spacePath: string;
  /** The search-space file as it was when the search started (a resume uses this, not the file on disk). */
  spaceText: string;
  spaceHash: string;
  seed: number;
  trialsBudget: number;
  status: SearchStatus;
  owner: OwnerRecord | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface TrialCounts {
  queued: number;
  running: number;
  completed: number;
  failed: number;
  interrupted: number;
}

export interface SearchSummary extends SearchRecord {
  counts: TrialCounts;
  cacheHits: number;
  bestReward: number | null;
  bestAuc: number | null;
  /** Highest trial number so far; null when the search has no trial yet. */
  lastTrialNumber: number | null;
}

export interface TrialRecord {
  searchId: number;
  number: number;
  config: TrialConfig;
  /** Canonical key of the config (see configKey): equal keys = same candidate model. */
  configKey: string;
  seed: number;
  status: TrialStatus;
  /** Present once completed. */
  result: TrialResult | null;
  reward: number | null;
  /** The result was copied from an earlier trial with the same config key instead of training again. */
  cacheHit: boolean;
  error: string | null;
  attempts: number;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface NewSearch {
  name: string;
  spacePath: string;
  spaceText: string;
  spaceHash: string;
  seed: number;
  trialsBudget: number;
  /** Payload of a 'started' event written in the same transaction as the row (no search without its start flags). */
  started?: unknown;
}

export interface NewTrial {
  number: number;
  config: TrialConfig;
  seed: number;
}

export type CompletedOrFailed =
  | { number: number; status: 'completed'; result: TrialResult; reward: number; cacheHit?: boolean }
  | { number: number; status: 'failed'; error: string };

export interface ControllerSnapshot {
  step: number;
  state: unknown;
}

export interface StoredSnapshot extends ControllerSnapshot {
  createdAt: number;
}

export interface Checkpoint {
  /** How far the computation had got (its own unit, e.g. supernet training steps). */
  step: number;
  payload: Uint8Array;
}

export interface StoredCheckpoint extends Checkpoint {
  createdAt: number;
}

export interface EventRecord {
  id: number;
  searchId: number;
  at: number;
  kind: string;
  payload: unknown;
}

export interface ListTrialsOptions {
  status?: TrialStatus | TrialStatus[];
  orderBy?: 'number' | 'reward';
  limit?: number;
}

export interface TrialStore {
  /** The file the store was opened on (':memory:' for an in-memory store); used in messages. */
  readonly file: string;
  /** Heartbeat age after which an owner is dead (promise 11); an owner beats several times within it. */
  readonly staleAfterMs: number;

  createSearch(search: NewSearch): Promise<SearchRecord>;
  /** A numeric string (or a number) is an id, anything else a name. Unknown → UsageError. */
  getSearch(idOrName: string | number): Promise<SearchRecord>;
  getSummary(idOrName: string | number): Promise<SearchSummary>;
  listSearches(): Promise<SearchSummary[]>;
  setBudget(searchId: number, trialsBudget: number): Promise<void>;
  /** Starts a search that has no trial, snapshot or checkpoint yet again with another space, seed and budget. */
  restartSearch(searchId: number, search: Omit<NewSearch, 'name'>): Promise<SearchRecord>;
  setStatus(searchId: number, status: SearchStatus): Promise<void>;

  acquire(searchId: number, owner: Owner): Promise<void>;
  heartbeat(searchId: number): Promise<void>;
  release(searchId: number): Promise<void>;
  recoverInterrupted(searchId: number): Promise<TrialRecord[]>;

  enqueueTrials(searchId: number, trials: NewTrial[]): Promise<void>;
  markRunning(searchId: number, number: number): Promise<void>;
  /** Results, and (when given) the controller snapshot taken after observing them, in one transaction. */
  recordResults(searchId: number, results: CompletedOrFailed[], snapshot?: ControllerSnapshot): Promise<void>;
  /** The earliest completed trial with this config key, for answering a repeated proposal without training. */
  findCompletedByConfigKey(searchId: number, configKey: string): Promise<TrialRecord | undefined>;
  getTrial(searchId: number, number: number): Promise<TrialRecord | undefined>;
  listTrials(searchId: number, options?: ListTrialsOptions): Promise<TrialRecord[]>;
  latestSnapshot(searchId: number): Promise<StoredSnapshot | undefined>;

  saveCheckpoint(searchId: number, checkpoint: Checkpoint): Promise<void>;
  latestCheckpoint(searchId: number): Promise<StoredCheckpoint | undefined>;
  deleteCheckpoint(searchId: number): Promise<void>;

  appendEvent(searchId: number, kind: string, payload?: unknown): Promise<number>;
  events(searchId: number, options?: { afterId?: number; limit?: number }): Promise<EventRecord[]>;

  close(): Promise<void>;
}
