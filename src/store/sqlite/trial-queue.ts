/**
 * The workers' queue on SQLite (promises 12–17): the owner dispatches queued trials, workers claim them one at a time,
 * beat while they train, and write their outcome only while the trial is still theirs; anyone may send a dead
 * claimant's trials back to the queue. Every claim runs in an IMMEDIATE transaction: the write lock is taken before
 * the lowest claimable trial is read, so two processes can never both read and take the same one. A claim writes its
 * call's token as on PostgreSQL (the same schema and contract), though here no call is ever retried.
 */
import { checkWorker, claimIsStale, newClaimToken, progressJson } from '../claims.js';
import { completedParams, type TrialRow } from '../row-mappers.js';
import type { StoreContext } from './store-context.js';
import { COMPLETE_SET, type TrialLifecycle } from './trial-lifecycle.js';
import type { CompletedOrFailed, TrialRecord, TrialWorker } from '../trial-store.js';

/** "Still running under this worker", on SQLite's positional parameters (host, pid, run). */
const MINE = `status = 'running' AND worker_host = ? AND worker_pid = ? AND worker_run = ?`;

export class TrialQueue {
  constructor(
    private readonly ctx: StoreContext,
    private readonly lifecycle: TrialLifecycle,
  ) {}

  dispatch(searchId: number, numbers: number[]): void {
    const open = this.ctx.sql(
      `UPDATE trials SET dispatched = 1 WHERE search_id = ? AND number = ? AND status = 'queued'`,
    );
    this.ctx.db.transaction(() => {
      for (const n of numbers) {
        if (open.run(searchId, n).changes === 0) {
          throw this.lifecycle.transitionError(searchId, n, 'dispatched', ['queued']);
        }
      }
    })();
  }

  claim(worker: TrialWorker, searchId?: number): TrialRecord | undefined {
    const w = checkWorker(worker);
    const take = this.ctx.db.transaction((): TrialRecord | undefined => {
      const next = (
        searchId === undefined
          ? this.ctx
              .sql(
                `SELECT t.search_id, t.number FROM trials t JOIN searches s ON s.id = t.search_id
                 WHERE s.status = 'running' AND t.status = 'queued' AND t.dispatched = 1
                 ORDER BY t.search_id, t.number LIMIT 1`,
              )
              .get()
          : this.ctx
              .sql(
                `SELECT search_id, number FROM trials WHERE search_id = ? AND status = 'queued' AND dispatched = 1
                 ORDER BY number LIMIT 1`,
              )
              .get(searchId)
      ) as { search_id: number; number: number } | undefined;
      if (!next) return undefined;
      const now = this.ctx.now();
      this.ctx
        .sql(
          `UPDATE trials SET status = 'running', worker_host = ?, worker_pid = ?, worker_run = ?,
             claim_heartbeat_at = ?, started_at = ?, progress = NULL, claim_token = ?
           WHERE search_id = ? AND number = ?`,
        )
        .run(w.host, w.pid, w.run, now, now, newClaimToken(), next.search_id, next.number);
      return this.ctx.getTrial(next.search_id, next.number);
    });
    return take.immediate();
  }

  heartbeat(searchId: number, number: number, worker: TrialWorker, progress?: unknown): boolean {
    const w = checkWorker(worker);
    const info =
      progress === undefined
        ? this.ctx
            .sql(`UPDATE trials SET claim_heartbeat_at = ? WHERE search_id = ? AND number = ? AND ${MINE}`)
            .run(this.ctx.now(), searchId, number, w.host, w.pid, w.run)
        : this.ctx
            .sql(
              `UPDATE trials SET claim_heartbeat_at = ?, progress = ? WHERE search_id = ? AND number = ? AND ${MINE}`,
            )
            .run(this.ctx.now(), progressJson(progress), searchId, number, w.host, w.pid, w.run);
    return info.changes > 0;
  }

  completeClaimed(searchId: number, worker: TrialWorker, r: CompletedOrFailed): boolean {
    const w = checkWorker(worker);
    const mine = {
      search_id: searchId,
      number: r.number,
      at: this.ctx.now(),
      host: w.host,
      pid: w.pid,
      run: w.run,
    };
    const where = `WHERE search_id = @search_id AND number = @number AND status = 'running'
      AND worker_host = @host AND worker_pid = @pid AND worker_run = @run`;
    const info =
      r.status === 'completed'
        ? this.ctx
            .sql(`UPDATE trials SET ${COMPLETE_SET} ${where}`)
            .run({ ...completedParams(r.result, r.reward, r.cacheHit === true), ...mine })
        : this.ctx
            .sql(`UPDATE trials SET status = 'failed', error = @error, finished_at = @at ${where}`)
            .run({ error: r.error, ...mine });
    return info.changes > 0;
  }

  release(searchId: number, number: number, worker: TrialWorker): boolean {
    const w = checkWorker(worker);
    const info = this.ctx
      .sql(
        `UPDATE trials SET status = 'queued', started_at = NULL, queued_at = ?, worker_host = NULL, worker_pid = NULL,
           worker_run = NULL, claim_heartbeat_at = NULL, progress = NULL, claim_token = NULL
         WHERE search_id = ? AND number = ? AND ${MINE}`,
      )
      .run(this.ctx.now(), searchId, number, w.host, w.pid, w.run);
    return info.changes > 0;
  }

  requeueStale(searchId: number): TrialRecord[] {
    const sweep = this.ctx.db.transaction((): TrialRecord[] => {
      this.ctx.searchRow(searchId);
      const observer = { host: this.ctx.host, now: this.ctx.now(), staleAfterMs: this.ctx.staleAfterMs };
      const rows = this.ctx
        .sql(`SELECT * FROM trials WHERE search_id = ? AND status = 'running' AND dispatched = 1 ORDER BY number`)
        .all(searchId) as TrialRow[];
      const numbers = rows.filter((r) => claimIsStale(r, observer)).map((r) => r.number);
      if (numbers.length === 0) return [];
      this.lifecycle.requeue(searchId, numbers, undefined);
      this.ctx.appendEvent(searchId, 'trials_requeued', { numbers, reason: 'claimant gone' });
      return numbers.map((n) => this.ctx.getTrial(searchId, n)!);
    });
    return sweep.immediate();
  }
}
