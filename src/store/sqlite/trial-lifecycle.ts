/**
 * The trial state machine's writes on SQLite: queued → running → completed | failed, and running → interrupted →
 * queued at resume. Each UPDATE names the states it may leave (`AND status IN …`), so a completed trial is never even
 * matched; when nothing matched, `transitionError` explains why. The workers' queue is in trial-queue.ts.
 */
import { checkWorker, ownerMayRecover, transitionError } from '../claims.js';
import { configKey } from '../config-key.js';
import { completedParams, type TrialRow } from '../row-mappers.js';
import type { StoreContext } from './store-context.js';
import type { CompletedOrFailed, ControllerSnapshot, NewTrial, TrialRecord, TrialWorker } from '../trial-store.js';

/** The SET clause that completes a trial (named parameters of completedParams, plus @at). */
export const COMPLETE_SET = `status = 'completed', epochs = @epochs, best_epoch = @best_epoch, valid_auc = @valid_auc,
  valid_logloss = @valid_logloss, memory_bytes = @memory_bytes, training_bytes = @training_bytes,
  rows_trained = @rows_trained, reward = @reward, backend = @backend, rows_per_sec = @rows_per_sec,
  wall_seconds = @wall_seconds, cache_hit = @cache_hit, error = NULL, finished_at = @at`;

export class TrialLifecycle {
  /** The hot write paths, wrapped once: building a transaction function per call costs more than the SQL. */
  readonly enqueue: (searchId: number, trials: NewTrial[]) => void;
  readonly recordResults: (searchId: number, results: CompletedOrFailed[], snapshot?: ControllerSnapshot) => void;

  constructor(private readonly ctx: StoreContext) {
    this.enqueue = ctx.db.transaction(this.insertTrials.bind(this));
    this.recordResults = ctx.db.transaction(this.writeResults.bind(this));
  }

  private insertTrials(searchId: number, trials: NewTrial[]): void {
    const insert = this.ctx.sql(
      `INSERT INTO trials (search_id, number, config, config_key, seed, status, queued_at)
       VALUES (?, ?, ?, ?, ?, 'queued', ?)`,
    );
    const at = this.ctx.now();
    for (const t of trials) {
      if (!Number.isInteger(t.number) || t.number < 0) {
        throw new Error(`trial number must be an integer ≥ 0: ${t.number}`);
      }
      try {
        insert.run(searchId, t.number, JSON.stringify(t.config), configKey(t.config), t.seed, at);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'SQLITE_CONSTRAINT_UNIQUE') throw new Error(`search ${searchId} already has a trial ${t.number}`);
        if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') this.ctx.searchRow(searchId); // throws "no search …"
        throw e;
      }
    }
  }

  markRunning(searchId: number, number: number, worker?: TrialWorker): void {
    const w = worker === undefined ? undefined : checkWorker(worker);
    const now = this.ctx.now();
    const info = this.ctx
      .sql(
        `UPDATE trials SET status = 'running', started_at = ?, worker_host = ?, worker_pid = ?, worker_run = ?,
           claim_heartbeat_at = ?, progress = NULL
         WHERE search_id = ? AND number = ? AND status = 'queued'`,
      )
      .run(now, w?.host ?? null, w?.pid ?? null, w?.run ?? null, w ? now : null, searchId, number);
    if (info.changes === 0) throw this.transitionError(searchId, number, 'running', ['queued']);
  }

  private writeResults(searchId: number, results: CompletedOrFailed[], snapshot?: ControllerSnapshot): void {
    const complete = this.ctx.sql(
      `UPDATE trials SET ${COMPLETE_SET}
       WHERE search_id = @search_id AND number = @number AND status IN ('queued', 'running')`,
    );
    const fail = this.ctx.sql(
      `UPDATE trials SET status = 'failed', error = ?, finished_at = ?
       WHERE search_id = ? AND number = ? AND status IN ('queued', 'running')`,
    );
    const at = this.ctx.now();
    for (const r of results) {
      const info =
        r.status === 'completed'
          ? complete.run({
              ...completedParams(r.result, r.reward, r.cacheHit === true),
              at,
              search_id: searchId,
              number: r.number,
            })
          : fail.run(r.error, at, searchId, r.number);
      if (info.changes === 0) throw this.transitionError(searchId, r.number, r.status, ['queued', 'running']);
    }
    // Last, so that a state that cannot be serialised undoes the results too.
    if (!snapshot) return;
    this.ctx
      .sql('INSERT INTO controller_snapshots (search_id, step, state, created_at) VALUES (?, ?, ?, ?)')
      .run(searchId, snapshot.step, JSON.stringify(snapshot.state ?? null), at);
  }

  /**
   * Trials left running or interrupted by a dead claimant, by this run, or by nobody (promise 18): running →
   * interrupted → queued, not dispatched, same number, config and seed, one more attempt, worker and progress
   * cleared. Two steps so the state machine stays visible to triggers and readers of the log. Runs inside the
   * caller's transaction (which has checked that no live process owns the search).
   */
  requeueUnfinished(searchId: number): TrialRecord[] {
    const observer = { host: this.ctx.host, now: this.ctx.now(), staleAfterMs: this.ctx.staleAfterMs };
    const rows = this.ctx
      .sql(`SELECT * FROM trials WHERE search_id = ? AND status IN ('running', 'interrupted') ORDER BY number`)
      .all(searchId) as TrialRow[];
    const numbers = rows.filter((r) => ownerMayRecover(r, observer)).map((r) => r.number);
    if (numbers.length === 0) return [];
    this.requeue(searchId, numbers, false);
    this.ctx.appendEvent(searchId, 'trials_requeued', { numbers });
    return numbers.map((n) => this.ctx.getTrial(searchId, n)!);
  }

  /** running → interrupted → queued for these trials, `dispatched` set as given (undefined: kept). */
  requeue(searchId: number, numbers: number[], dispatched: boolean | undefined): void {
    const interrupt = this.ctx.sql(
      `UPDATE trials SET status = 'interrupted' WHERE search_id = ? AND number = ? AND status = 'running'`,
    );
    const queue = this.ctx.sql(
      `UPDATE trials SET status = 'queued', attempts = attempts + 1, queued_at = ?, started_at = NULL,
         worker_host = NULL, worker_pid = NULL, worker_run = NULL, claim_heartbeat_at = NULL, progress = NULL,
         claim_token = NULL, dispatched = coalesce(?, dispatched)
       WHERE search_id = ? AND number = ? AND status = 'interrupted'`,
    );
    const at = this.ctx.now();
    const flag = dispatched === undefined ? null : dispatched ? 1 : 0;
    for (const n of numbers) {
      interrupt.run(searchId, n);
      queue.run(at, flag, searchId, n);
    }
  }

  transitionError(searchId: number, number: number, target: string, from: string[]): Error {
    return transitionError(this.ctx.getTrial(searchId, number), searchId, number, target, from);
  }
}
