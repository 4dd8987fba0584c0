/**
 * The trial store: everything a search leaves behind (searches, trials, controller snapshots, an event log), kept in
 * one SQLite file or one PostgreSQL database so that a search can be stopped, resumed, listed and exported by another
 * process later, and so that workers on other machines can take its trials from a shared queue (promises 12–19).
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
 *    `recoverInterrupted` with the same number, config and seed, its `attempts` incremented (which trials: 18).
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
 * 12. Dispatch. `enqueueTrials` writes trials queued and not dispatched: only the owner may start them (`markRunning`,
 *    optionally naming the worker that trains them here). `dispatchTrials` opens queued trials to workers, all of the
 *    batch or none (a trial that is not queued throws); a trial stays dispatched until it finishes.
 *
 * 13. Claim exclusivity. `claimTrial` takes the lowest-numbered dispatched queued trial (of one search, or of the
 *    running searches, lowest search id first) and marks it running under the claiming worker, atomically: two
 *    claimers — store objects, processes or machines — never get the same trial, and together they get all of them.
 *    Each call writes a claim token of its own to the trial it takes (`claim_token`, a random id, the same across the
 *    call's retries: promise 19); a trial that goes back to the queue loses it.
 *
 * 14. Claim heartbeat. A claimant beats (`trialHeartbeat`, optionally with a progress payload, readable as
 *    `progress`) while it trains. The beat returns false and writes nothing once the trial is no longer running
 *    under that worker; the worker then abandons it. A claimant is alive by the rule of promise 11 applied to its
 *    host, pid, run and last claim heartbeat.
 *
 * 15. Claimed results. `completeClaimed` writes a claimant's outcome only while the trial is still running under it,
 *    in one transaction, and returns whether it did; a late claimant whose trial went back to the queue (and maybe
 *    to another worker) writes nothing.
 *
 * 16. Release. `releaseClaim` hands a claimed trial back: running → queued, still dispatched, worker and progress
 *    cleared, attempts unchanged; false (nothing written) when the trial is not running under that worker.
 *
 * 17. Stale claims. `requeueStale` (anyone may call it) sends every dispatched trial running under a dead claimant —
 *    never one of the caller's own run — back to the queue, still dispatched: running → interrupted → queued,
 *    attempts + 1, worker and progress cleared, one 'trials_requeued' event {numbers, reason: 'claimant gone'}.
 *
 * 18. Owner recovery. `recoverInterrupted` (the owner, at resume and when it stops) re-queues, not dispatched and
 *    with attempts + 1, every running or interrupted trial whose claimant is dead, is the caller's own run (RUN_ID),
 *    or is absent; a trial a live worker of another run is training stays running. It refuses while another live
 *    process owns the search (promise 6).
 *
 * 19. Reconnection (PostgreSQL). A call that loses its connection (a server restart) is retried whole — a
 *    transaction from its start, never half — with backoff, for up to EMBNAS_DB_RETRY_S seconds (default 120);
 *    then it throws a UsageError naming the database (its password redacted). Errors of the contract and constraint
 *    violations are never retried. A location's password never appears in `file` or in any message. A retried write
 *    whose first try was committed after all (the reply was lost) finds its own effect and succeeds: an enqueue finds
 *    the same trials, an outcome finds the trial already in that state (a claimant's: under its own run), and a claim
 *    finds the trial still running under its worker with its call's claim token and returns that one — it never
 *    takes a second trial, leaving the first claimed by a worker that does not know it has it.
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

/** A process that trains trials: a host, a pid on it, and the run id of that process (RUN_ID). */
export interface TrialWorker {
  host: string;
  pid: number;
  run: string;
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
  /** Who claimed (is training, or trained) the trial; null when nobody did or it was re-queued. */
  worker: TrialWorker | null;
  /** The last progress payload its claimant reported (trialHeartbeat); null when none. */
  progress: unknown | null;
  /** Open to workers' claims (promise 12). */
  dispatched: boolean;
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
  /** Only trials whose number is at least this. */
  fromNumber?: number;
}

/** The synchronous twin of an interface: each method answers what its promise would (the SQLite core's shape). */
export type Synchronous<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K];
};

export interface TrialStore {
  /**
   * Where the store lives, for messages: the SQLite file (':memory:' for an in-memory store), or the PostgreSQL URL
   * with its password redacted (`postgresql://user:***@host:port/db`).
   */
  readonly location: string;
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
  /** Re-queues (not dispatched) trials left by a dead claimant, by this run, or by nobody (promise 18). */
  recoverInterrupted(searchId: number): Promise<TrialRecord[]>;

  enqueueTrials(searchId: number, trials: NewTrial[]): Promise<void>;
  /** queued → running; when `worker` is given it is recorded as the claimant (local training, promise 12). */
  markRunning(searchId: number, number: number, worker?: TrialWorker): Promise<void>;
  /** Results, and (when given) the controller snapshot taken after observing them, in one transaction. */
  recordResults(searchId: number, results: CompletedOrFailed[], snapshot?: ControllerSnapshot): Promise<void>;
  /** The earliest completed trial with this config key, for answering a repeated proposal without training. */
  findCompletedByConfigKey(searchId: number, configKey: string): Promise<TrialRecord | undefined>;
  getTrial(searchId: number, number: number): Promise<TrialRecord | undefined>;
  listTrials(searchId: number, options?: ListTrialsOptions): Promise<TrialRecord[]>;
  latestSnapshot(searchId: number): Promise<StoredSnapshot | undefined>;

  /** Makes queued trials claimable by workers (dispatched = true). Only queued trials, else throws; one transaction. */
  dispatchTrials(searchId: number, numbers: number[]): Promise<void>;
  /**
   * Atomically takes the lowest-numbered dispatched queued trial — of `searchId` when given, else of any search whose
   * status is 'running' (lowest search id first) — and marks it running: worker = this worker, claim heartbeat = now,
   * started_at = now, claim token = a new one of this call. Undefined when nothing is claimable. Two concurrent
   * claimers never get the same trial (13); a retried call returns the trial its first try took (19).
   */
  claimTrial(worker: TrialWorker, options?: { searchId?: number }): Promise<TrialRecord | undefined>;
  /**
   * The claimant is still training: refreshes the claim heartbeat and stores `progress` when given. False (nothing
   * written) when the trial is no longer running under this worker: the worker then abandons it (14).
   */
  trialHeartbeat(searchId: number, number: number, worker: TrialWorker, progress?: unknown): Promise<boolean>;
  /** The claimant's outcome, written only while the trial is still running under this worker; else false (15). */
  completeClaimed(searchId: number, worker: TrialWorker, result: CompletedOrFailed): Promise<boolean>;
  /** A claimant that stops hands its trial back: running → queued, still dispatched; false if not its own (16). */
  releaseClaim(searchId: number, number: number, worker: TrialWorker): Promise<boolean>;
  /** Dispatched trials running under a dead claimant (never this run) back to the queue, still dispatched (17). */
  requeueStale(searchId: number): Promise<TrialRecord[]>;

  saveCheckpoint(searchId: number, checkpoint: Checkpoint): Promise<void>;
  latestCheckpoint(searchId: number): Promise<StoredCheckpoint | undefined>;
  deleteCheckpoint(searchId: number): Promise<void>;

  appendEvent(searchId: number, kind: string, payload?: unknown): Promise<number>;
  events(searchId: number, options?: { afterId?: number; limit?: number }): Promise<EventRecord[]>;

  close(): Promise<void>;
}
