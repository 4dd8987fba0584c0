/**
 * The SQLite store's synchronous core on better-sqlite3 (see trial-store.ts for the contract; sqlite-store.ts is the
 * promise-returning TrialStore over it). Synchronous inside: a commit in WAL mode with synchronous=NORMAL costs tens of
 * microseconds, and better-sqlite3's synchronous transactions make "this happened in one transaction" obvious here.
 */
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { isInMemory } from './open-database.js';
import type { OpenStoreOptions } from '../store-options.js';
import { ownerIsAlive, staleAfterMsFromEnv, type OwnerEvidence } from '../ownership.js';
import {
  checkBudget,
  checkSearchName,
  checkStatus,
  duplicateSearch,
  finishedAt,
  isSearchId,
  noSuchSearch,
  notRestartable,
} from '../search-checks.js';
import { SearchOwnership } from './search-ownership.js';
import type { StoreContext } from './store-context.js';
import { TrialLifecycle } from './trial-lifecycle.js';
import { TrialQueue } from './trial-queue.js';
import {
  toEvent,
  toSearchRecord,
  toSearchSummary,
  toSnapshot,
  toTrialRecord,
  type EventRow,
  type SearchRow,
  type SnapshotRow,
  type SummaryRow,
  type TrialRow,
} from '../row-mappers.js';
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
  TrialWorker,
  Synchronous,
  TrialStore,
} from '../trial-store.js';

const SUMMARY_SQL = (where: string) => `
  SELECT s.*, t.* FROM searches s LEFT JOIN (
    SELECT search_id,
      sum(status = 'queued') AS n_queued, sum(status = 'running') AS n_running,
      sum(status = 'completed') AS n_completed, sum(status = 'failed') AS n_failed,
      sum(status = 'interrupted') AS n_interrupted, sum(cache_hit) AS n_cache_hits,
      max(reward) AS best_reward, max(valid_auc) AS best_auc, max(number) AS last_number
    FROM trials ${where} GROUP BY search_id
  ) t ON t.search_id = s.id`;

export class SqliteCore implements StoreContext, Synchronous<TrialStore> {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly ownership: SearchOwnership;
  private readonly lifecycle: TrialLifecycle;
  private readonly queue: TrialQueue;
  readonly now: () => number;
  readonly staleAfterMs: number;
  readonly host: string;

  constructor(
    /** The connection, for integrity checks and tests; writing through it bypasses the API (not the triggers). */
    readonly db: Database.Database,
    readonly location: string,
    options: OpenStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.staleAfterMs = options.staleAfterMs ?? staleAfterMsFromEnv();
    this.host = options.host ?? hostname();
    this.ownership = new SearchOwnership(this);
    this.lifecycle = new TrialLifecycle(this);
    this.queue = new TrialQueue(this, this.lifecycle);
  }

  /** Prepared statements are cached: preparing costs more than running for the small statements used here. */
  sql(source: string): Database.Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement;
  }

  isAlive = (owner: OwnerEvidence): boolean =>
    ownerIsAlive(owner, { host: this.host, now: this.now(), staleAfterMs: this.staleAfterMs });

  // ── searches ──────────────────────────────────────────────────────────────────────────────────────────────────

  createSearch(search: NewSearch): SearchRecord {
    const name = checkSearchName(search.name);
    checkBudget(search.trialsBudget);
    const create = this.db.transaction((): number => {
      // Checked inside the (IMMEDIATE) transaction: two processes starting the same name cannot both pass.
      if (this.sql('SELECT 1 FROM searches WHERE name = ?').get(name)) throw duplicateSearch(name, this.location);
      const info = this.sql(
        `INSERT INTO searches (name, space_path, space_text, space_hash, seed, trials_budget, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'running', ?)`,
      ).run(name, search.spacePath, search.spaceText, search.spaceHash, search.seed, search.trialsBudget, this.now());
      const searchId = Number(info.lastInsertRowid);
      this.appendEvent(searchId, 'search_created', { name, seed: search.seed, trialsBudget: search.trialsBudget });
      if (search.started !== undefined) this.appendEvent(searchId, 'started', search.started);
      return searchId;
    });
    const id = create.immediate();
    return this.getSearch(id);
  }

  searchRow(idOrName: string | number): SearchRow {
    const row = isSearchId(idOrName)
      ? this.sql('SELECT * FROM searches WHERE id = ?').get(Number(idOrName))
      : this.sql('SELECT * FROM searches WHERE name = ?').get(idOrName);
    if (!row) throw noSuchSearch(idOrName, this.location, isInMemory(this.location));
    return row as SearchRow;
  }

  getSearch(idOrName: string | number): SearchRecord {
    return toSearchRecord(this.searchRow(idOrName), this.isAlive);
  }

  getSummary(idOrName: string | number): SearchSummary {
    const id = this.searchRow(idOrName).id;
    const row = this.sql(`${SUMMARY_SQL('WHERE search_id = ?')} WHERE s.id = ?`).get(id, id) as SummaryRow;
    return toSearchSummary(row, this.isAlive);
  }

  listSearches(): SearchSummary[] {
    const rows = this.sql(`${SUMMARY_SQL('')} ORDER BY s.id`).all() as SummaryRow[];
    return rows.map((row) => toSearchSummary(row, this.isAlive));
  }

  setBudget(searchId: number, trialsBudget: number): void {
    checkBudget(trialsBudget);
    this.searchRow(searchId);
    this.sql('UPDATE searches SET trials_budget = ? WHERE id = ?').run(trialsBudget, searchId);
  }

  restartSearch(searchId: number, search: Omit<NewSearch, 'name'>): SearchRecord {
    checkBudget(search.trialsBudget);
    const restart = this.db.transaction(() => {
      const row = this.searchRow(searchId);
      const used = ['trials', 'controller_snapshots', 'checkpoints'].find((t) =>
        this.sql(`SELECT 1 FROM ${t} WHERE search_id = ?`).get(searchId),
      );
      if (used) throw notRestartable(row.name, used);
      this.sql(
        `UPDATE searches SET space_path = ?, space_text = ?, space_hash = ?, seed = ?, trials_budget = ?, status = 'running',
         finished_at = NULL WHERE id = ?`,
      ).run(search.spacePath, search.spaceText, search.spaceHash, search.seed, search.trialsBudget, searchId);
      this.appendEvent(searchId, 'search_restarted', { seed: search.seed, trialsBudget: search.trialsBudget });
      if (search.started !== undefined) this.appendEvent(searchId, 'started', search.started);
    });
    restart.immediate();
    return this.getSearch(searchId);
  }

  setStatus(searchId: number, status: SearchStatus): void {
    checkStatus(status);
    this.searchRow(searchId);
    const at = finishedAt(status, this.now());
    this.sql('UPDATE searches SET status = ?, finished_at = ? WHERE id = ?').run(status, at, searchId);
  }

  // ── ownership ─────────────────────────────────────────────────────────────────────────────────────────────────

  acquire(searchId: number, owner: Owner): void {
    this.ownership.acquire(searchId, owner);
  }

  heartbeat(searchId: number): void {
    this.ownership.heartbeat(searchId);
  }

  release(searchId: number): void {
    this.ownership.release(searchId);
  }

  recoverInterrupted(searchId: number): TrialRecord[] {
    const recover = this.db.transaction((): TrialRecord[] => {
      this.ownership.assertNoOtherLiveOwner(searchId);
      return this.lifecycle.requeueUnfinished(searchId);
    });
    return recover.immediate();
  }

  // ── trials ────────────────────────────────────────────────────────────────────────────────────────────────────

  enqueueTrials(searchId: number, trials: NewTrial[]): void {
    this.lifecycle.enqueue(searchId, trials);
  }

  markRunning(searchId: number, number: number, worker?: TrialWorker): void {
    this.lifecycle.markRunning(searchId, number, worker);
  }

  recordResults(searchId: number, results: CompletedOrFailed[], snapshot?: ControllerSnapshot): void {
    this.lifecycle.recordResults(searchId, results, snapshot);
  }

  findCompletedByConfigKey(searchId: number, key: string): TrialRecord | undefined {
    const row = this.sql(
      `SELECT * FROM trials WHERE search_id = ? AND config_key = ? AND status = 'completed' ORDER BY number LIMIT 1`,
    ).get(searchId, key) as TrialRow | undefined;
    return row && toTrialRecord(row);
  }

  getTrial(searchId: number, number: number): TrialRecord | undefined {
    const row = this.sql('SELECT * FROM trials WHERE search_id = ? AND number = ?').get(searchId, number);
    return row ? toTrialRecord(row as TrialRow) : undefined;
  }

  listTrials(searchId: number, options: ListTrialsOptions = {}): TrialRecord[] {
    const statuses = options.status === undefined ? [] : [options.status].flat();
    let where = statuses.length ? ` AND status IN (${statuses.map(() => '?').join(', ')})` : '';
    if (options.fromNumber !== undefined) where += ' AND number >= ?';
    // NULL sorts lowest in SQLite, so under DESC the trials without a reward come last, and the index serves it.
    const order = options.orderBy === 'reward' ? 'reward DESC, number' : 'number';
    const limit = options.limit === undefined ? '' : ' LIMIT ?';
    const params: unknown[] = [searchId, ...statuses];
    if (options.fromNumber !== undefined) params.push(options.fromNumber);
    if (options.limit !== undefined) params.push(options.limit);
    const rows = this.sql(`SELECT * FROM trials WHERE search_id = ?${where} ORDER BY ${order}${limit}`).all(...params);
    return (rows as TrialRow[]).map(toTrialRecord);
  }

  latestSnapshot(searchId: number): StoredSnapshot | undefined {
    const row = this.sql(
      'SELECT step, state, created_at FROM controller_snapshots WHERE search_id = ? ORDER BY id DESC LIMIT 1',
    ).get(searchId) as SnapshotRow | undefined;
    return row && toSnapshot(row);
  }

  // ── the workers' queue (trial-queue.ts) ───────────────────────────────────────────────────────────────────────

  dispatchTrials(searchId: number, numbers: number[]): void {
    this.queue.dispatch(searchId, numbers);
  }

  claimTrial(worker: TrialWorker, options: { searchId?: number } = {}): TrialRecord | undefined {
    return this.queue.claim(worker, options.searchId);
  }

  trialHeartbeat(searchId: number, number: number, worker: TrialWorker, progress?: unknown): boolean {
    return this.queue.heartbeat(searchId, number, worker, progress);
  }

  completeClaimed(searchId: number, worker: TrialWorker, result: CompletedOrFailed): boolean {
    return this.queue.completeClaimed(searchId, worker, result);
  }

  releaseClaim(searchId: number, number: number, worker: TrialWorker): boolean {
    return this.queue.release(searchId, number, worker);
  }

  requeueStale(searchId: number): TrialRecord[] {
    return this.queue.requeueStale(searchId);
  }

  // ── checkpoints ───────────────────────────────────────────────────────────────────────────────────────────────

  saveCheckpoint(searchId: number, checkpoint: Checkpoint): void {
    this.searchRow(searchId);
    const { step, payload } = checkpoint;
    this.sql('INSERT OR REPLACE INTO checkpoints (search_id, step, payload, created_at) VALUES (?, ?, ?, ?)').run(
      searchId,
      step,
      Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
      this.now(),
    );
  }

  latestCheckpoint(searchId: number): StoredCheckpoint | undefined {
    const row = this.sql('SELECT step, payload, created_at FROM checkpoints WHERE search_id = ?').get(searchId) as
      { step: number; payload: Buffer; created_at: number } | undefined;
    return row && { step: row.step, payload: new Uint8Array(row.payload), createdAt: row.created_at };
  }

  deleteCheckpoint(searchId: number): void {
    this.sql('DELETE FROM checkpoints WHERE search_id = ?').run(searchId);
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────────────────────────

  appendEvent(searchId: number, kind: string, payload?: unknown): number {
    const json = payload === undefined ? null : JSON.stringify(payload);
    const info = this.sql('INSERT INTO events (search_id, at, kind, payload) VALUES (?, ?, ?, ?)').run(
      searchId,
      this.now(),
      kind,
      json,
    );
    return Number(info.lastInsertRowid);
  }

  events(searchId: number, options: { afterId?: number; limit?: number } = {}): EventRecord[] {
    const rows = this.sql('SELECT * FROM events WHERE search_id = ? AND id > ? ORDER BY id LIMIT ?').all(
      searchId,
      options.afterId ?? 0,
      options.limit ?? -1,
    ) as EventRow[];
    return rows.map(toEvent);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
