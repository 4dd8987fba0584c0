/**
 * The workers' queue on PostgreSQL (promises 12–17). A claim is one statement that locks the lowest claimable trial
 * with FOR UPDATE SKIP LOCKED and marks it running: concurrent claimers on any machine skip each other's rows instead
 * of waiting, and never take the same trial. The claim writes its call's token to the trial: a retry of a claim whose
 * reply was lost returns the trial holding that token instead of taking a second one (promise 19). Heartbeats,
 * outcomes and releases match only a trial still running under the same worker, so a claimant whose trial was taken
 * back writes nothing.
 */
import { checkWorker, claimIsStale, newClaimToken, progressJson } from '../claims.js';
import { toTrialRecord, type TrialRow } from '../row-mappers.js';
import type { CompletedOrFailed, TrialRecord, TrialWorker } from '../trial-store.js';
import type { Db } from './connection.js';
import { appendEvent, observer, searchRow, trialsOf, type PgContext } from './pg-context.js';
import { completeSet, finishedAs, NoTransition, requeue, type PgTrials } from './pg-trials.js';

/** "Still running under this worker": the worker's host, pid and run as parameters $`first`.. $`first + 2`. */
const mine = (first: number) =>
  `status = 'running' AND worker_host = $${first} AND worker_pid = $${first + 1} AND worker_run = $${first + 2}`;

/**
 * The trial a claim's earlier try took, when that try was committed but its reply lost: still running under this
 * worker with this call's token. Undefined when there is none (the try was not committed, or the trial has since gone
 * back to the queue): the retry then claims as a first try would.
 */
async function claimedWith(db: Db, token: string, w: TrialWorker): Promise<TrialRecord | undefined> {
  const { rows } = await db.query<TrialRow>(`SELECT * FROM trials WHERE claim_token = $1 AND ${mine(2)}`, [
    token,
    w.host,
    w.pid,
    w.run,
  ]);
  return rows[0] && toTrialRecord(rows[0]);
}

export class PgQueue {
  constructor(
    private readonly ctx: PgContext,
    private readonly trials: PgTrials,
  ) {}

  async dispatch(searchId: number, numbers: number[]): Promise<void> {
    await this.trials.transition(async (db) => {
      for (const n of numbers) {
        const { rowCount } = await db.query(
          `UPDATE trials SET dispatched = 1 WHERE search_id = $1 AND number = $2 AND status = 'queued'`,
          [searchId, n],
        );
        if (rowCount === 0) throw new NoTransition(searchId, n, 'dispatched', ['queued']);
      }
    });
  }

  claim(worker: TrialWorker, searchId?: number): Promise<TrialRecord | undefined> {
    const w = checkWorker(worker);
    const pick =
      searchId === undefined
        ? `SELECT t.id FROM trials t JOIN searches s ON s.id = t.search_id
           WHERE s.status = 'running' AND t.status = 'queued' AND t.dispatched = 1
           ORDER BY t.search_id, t.number LIMIT 1 FOR UPDATE OF t SKIP LOCKED`
        : `SELECT id FROM trials WHERE search_id = $6 AND status = 'queued' AND dispatched = 1
           ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED`;
    const token = newClaimToken(); // once per call: every retry of it carries the same one
    return this.ctx.conn.run(async (db) => {
      if (db.retry) {
        const taken = await claimedWith(db, token, w);
        if (taken) return taken;
      }
      const now = this.ctx.now();
      const params = [w.host, w.pid, w.run, now, token];
      const { rows } = await db.query<TrialRow>(
        `UPDATE trials SET status = 'running', worker_host = $1, worker_pid = $2, worker_run = $3,
           claim_heartbeat_at = $4, started_at = $4, progress = NULL, claim_token = $5
         WHERE id = (${pick}) RETURNING *`,
        searchId === undefined ? params : [...params, searchId],
      );
      return rows[0] && toTrialRecord(rows[0]);
    });
  }

  heartbeat(searchId: number, number: number, worker: TrialWorker, progress?: unknown): Promise<boolean> {
    const w = checkWorker(worker);
    const json = progressJson(progress);
    return this.ctx.conn.run(async (db) => {
      const params: unknown[] = [searchId, number, w.host, w.pid, w.run, this.ctx.now()];
      const set = progress === undefined ? '' : `, progress = $${params.push(json)}`;
      const { rowCount } = await db.query(
        `UPDATE trials SET claim_heartbeat_at = $6${set} WHERE search_id = $1 AND number = $2 AND ${mine(3)}`,
        params,
      );
      return (rowCount ?? 0) > 0;
    });
  }

  completeClaimed(searchId: number, worker: TrialWorker, r: CompletedOrFailed): Promise<boolean> {
    const w = checkWorker(worker);
    return this.ctx.conn.run(async (db) => {
      const at = this.ctx.now();
      const { set, params } =
        r.status === 'completed'
          ? completeSet(r, at, 6)
          : { set: `status = 'failed', error = $6, finished_at = $7`, params: [r.error, at] };
      const { rowCount } = await db.query(
        `UPDATE trials SET ${set} WHERE search_id = $1 AND number = $2 AND ${mine(3)}`,
        [searchId, r.number, w.host, w.pid, w.run, ...params],
      );
      return (rowCount ?? 0) > 0 || (db.retry === true && (await finishedAs(db, searchId, r, w)));
    });
  }

  release(searchId: number, number: number, worker: TrialWorker): Promise<boolean> {
    const w = checkWorker(worker);
    return this.ctx.conn.run(async (db) => {
      const { rowCount } = await db.query(
        `UPDATE trials SET status = 'queued', started_at = NULL, queued_at = $6, worker_host = NULL,
           worker_pid = NULL, worker_run = NULL, claim_heartbeat_at = NULL, progress = NULL, claim_token = NULL
         WHERE search_id = $1 AND number = $2 AND ${mine(3)}`,
        [searchId, number, w.host, w.pid, w.run, this.ctx.now()],
      );
      return (rowCount ?? 0) > 0;
    });
  }

  requeueStale(searchId: number): Promise<TrialRecord[]> {
    return this.ctx.conn.transaction(async (db) => {
      await searchRow(db, this.ctx, searchId);
      // Locked: a claimant's heartbeat or outcome racing this sweep waits, then finds the trial no longer its own.
      const { rows } = await db.query<TrialRow>(
        `SELECT * FROM trials WHERE search_id = $1 AND status = 'running' AND dispatched = 1 ORDER BY number FOR UPDATE`,
        [searchId],
      );
      const seen = observer(this.ctx);
      const numbers = rows.filter((r) => claimIsStale(r, seen)).map((r) => r.number);
      if (numbers.length === 0) return [];
      await requeue(db, this.ctx, searchId, numbers, undefined);
      await appendEvent(db, this.ctx, searchId, 'trials_requeued', { numbers, reason: 'claimant gone' });
      return trialsOf(db, searchId, numbers);
    });
  }
}
