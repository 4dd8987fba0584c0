/**
 * The trial state machine on PostgreSQL (promises 2–5, 7, 18): the same transitions, checks and messages as SQLite's
 * trial-lifecycle.ts. Each UPDATE names the states it may leave, so a completed trial is never even matched; when
 * nothing matched, `transitionError` explains why (read after the transaction rolled back, never inside it).
 */
import { checkWorker, ownerMayRecover, transitionError } from '../claims.js';
import { configKey } from '../config-key.js';
import { completedParams, toTrialRecord, type TrialRow } from '../row-mappers.js';
import type {
  CompletedOrFailed,
  ControllerSnapshot,
  ListTrialsOptions,
  NewTrial,
  TrialRecord,
  TrialWorker,
} from '../trial-store.js';
import type { Db } from './connection.js';
import { appendEvent, observer, searchRow, trialOf, trialsOf, type PgContext } from './pg-context.js';
import type { PgSearches } from './pg-searches.js';

/** A transition that matched no row: thrown inside the transaction, explained after it rolled back. */
export class NoTransition extends Error {
  constructor(
    readonly searchId: number,
    readonly number: number,
    readonly target: string,
    readonly from: string[],
  ) {
    super(`trial ${number} of search ${searchId} cannot be marked ${target}`);
  }
}

/** The SET clause completing a trial, its parameters numbered from $`first`, and their values. */
export function completeSet(r: Extract<CompletedOrFailed, { status: 'completed' }>, at: number, first: number) {
  const values = { ...completedParams(r.result, r.reward, r.cacheHit === true), error: null, finished_at: at };
  const set = Object.keys(values).map((column, i) => `${column} = $${first + i}`);
  return { set: `status = 'completed', ${set.join(', ')}`, params: Object.values(values) };
}

/** A retried enqueue finds the trial its lost-reply attempt wrote: the same number, config and seed. */
async function sameTrial(db: Db, searchId: number, t: NewTrial): Promise<boolean> {
  const { rows } = await db.query<{ config_key: string; seed: number }>(
    'SELECT config_key, seed FROM trials WHERE search_id = $1 AND number = $2',
    [searchId, t.number],
  );
  return rows[0]?.config_key === configKey(t.config) && Number(rows[0]?.seed) === t.seed;
}

/** A retried outcome finds the trial already in the state its lost-reply attempt wrote. */
export async function finishedAs(
  db: Db,
  searchId: number,
  r: CompletedOrFailed,
  worker?: TrialWorker,
): Promise<boolean> {
  const { rows } = await db.query<{ status: string; reward: number | null; worker_run: string | null }>(
    'SELECT status, reward, worker_run FROM trials WHERE search_id = $1 AND number = $2',
    [searchId, r.number],
  );
  const row = rows[0];
  if (!row || row.status !== r.status) return false;
  if (worker !== undefined && row.worker_run !== worker.run) return false;
  return r.status === 'failed' || row.reward === r.reward;
}

export class PgTrials {
  constructor(
    private readonly ctx: PgContext,
    private readonly searches: PgSearches,
  ) {}

  /** Runs a transaction; a NoTransition it throws becomes the message of why the trial could not move. */
  async transition<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    try {
      return await this.ctx.conn.transaction(fn);
    } catch (e) {
      if (!(e instanceof NoTransition)) throw e;
      const trial = await this.ctx.conn.run((db) => trialOf(db, e.searchId, e.number));
      throw transitionError(trial, e.searchId, e.number, e.target, e.from);
    }
  }

  async enqueue(searchId: number, trials: NewTrial[]): Promise<void> {
    await this.ctx.conn.transaction(async (db) => {
      await searchRow(db, this.ctx, searchId);
      const at = this.ctx.now();
      for (const t of trials) {
        if (!Number.isInteger(t.number) || t.number < 0) {
          throw new Error(`trial number must be an integer ≥ 0: ${t.number}`);
        }
        const { rowCount } = await db.query(
          `INSERT INTO trials (search_id, number, config, config_key, seed, status, queued_at)
           VALUES ($1, $2, $3, $4, $5, 'queued', $6) ON CONFLICT (search_id, number) DO NOTHING`,
          [searchId, t.number, JSON.stringify(t.config), configKey(t.config), t.seed, at],
        );
        if (rowCount === 0 && !(db.retry && (await sameTrial(db, searchId, t)))) {
          throw new Error(`search ${searchId} already has a trial ${t.number}`);
        }
      }
    });
  }

  async markRunning(searchId: number, number: number, worker?: TrialWorker): Promise<void> {
    const w = worker === undefined ? undefined : checkWorker(worker);
    await this.transition(async (db) => {
      const now = this.ctx.now();
      const { rowCount } = await db.query(
        `UPDATE trials SET status = 'running', started_at = $1, worker_host = $2, worker_pid = $3, worker_run = $4,
           claim_heartbeat_at = $5, progress = NULL
         WHERE search_id = $6 AND number = $7 AND status = 'queued'`,
        [now, w?.host ?? null, w?.pid ?? null, w?.run ?? null, w ? now : null, searchId, number],
      );
      if (rowCount === 0) throw new NoTransition(searchId, number, 'running', ['queued']);
    });
  }

  async recordResults(searchId: number, results: CompletedOrFailed[], snapshot?: ControllerSnapshot): Promise<void> {
    // Serialised before the transaction: a state that cannot be (a BigInt) writes nothing.
    const state = snapshot ? JSON.stringify(snapshot.state ?? null) : undefined;
    await this.transition(async (db) => {
      const at = this.ctx.now();
      for (const r of results) {
        const { set, params } =
          r.status === 'completed'
            ? completeSet(r, at, 3)
            : { set: `status = 'failed', error = $3, finished_at = $4`, params: [r.error, at] };
        const { rowCount } = await db.query(
          `UPDATE trials SET ${set} WHERE search_id = $1 AND number = $2 AND status IN ('queued', 'running')`,
          [searchId, r.number, ...params],
        );
        if (rowCount === 0 && !(db.retry && (await finishedAs(db, searchId, r)))) {
          throw new NoTransition(searchId, r.number, r.status, ['queued', 'running']);
        }
      }
      if (!snapshot) return;
      await db.query('INSERT INTO controller_snapshots (search_id, step, state, created_at) VALUES ($1, $2, $3, $4)', [
        searchId,
        snapshot.step,
        state,
        at,
      ]);
    });
  }

  findCompletedByConfigKey(searchId: number, key: string): Promise<TrialRecord | undefined> {
    return this.ctx.conn.run(async (db) => {
      const { rows } = await db.query<TrialRow>(
        `SELECT * FROM trials WHERE search_id = $1 AND config_key = $2 AND status = 'completed' ORDER BY number LIMIT 1`,
        [searchId, key],
      );
      return rows[0] && toTrialRecord(rows[0]);
    });
  }

  getTrial(searchId: number, number: number): Promise<TrialRecord | undefined> {
    return this.ctx.conn.run((db) => trialOf(db, searchId, number));
  }

  listTrials(searchId: number, options: ListTrialsOptions = {}): Promise<TrialRecord[]> {
    const statuses = options.status === undefined ? [] : [options.status].flat();
    const params: unknown[] = [searchId];
    let where = '';
    if (statuses.length) where += ` AND status = ANY($${params.push(statuses)})`;
    if (options.fromNumber !== undefined) where += ` AND number >= $${params.push(options.fromNumber)}`;
    const order = options.orderBy === 'reward' ? 'reward DESC NULLS LAST, number' : 'number';
    const limit = options.limit === undefined ? '' : ` LIMIT $${params.push(options.limit)}`;
    return this.ctx.conn.run(async (db) => {
      const sql = `SELECT * FROM trials WHERE search_id = $1${where} ORDER BY ${order}${limit}`;
      return (await db.query<TrialRow>(sql, params)).rows.map(toTrialRecord);
    });
  }

  /** Promise 18: what a dead claimant, this run or nobody left running goes back to the queue, not dispatched. */
  recoverInterrupted(searchId: number): Promise<TrialRecord[]> {
    return this.ctx.conn.transaction(async (db) => {
      await this.searches.assertNoOtherLiveOwner(db, searchId);
      const { rows } = await db.query<TrialRow>(
        `SELECT * FROM trials WHERE search_id = $1 AND status IN ('running', 'interrupted') ORDER BY number FOR UPDATE`,
        [searchId],
      );
      const seen = observer(this.ctx);
      const numbers = rows.filter((r) => ownerMayRecover(r, seen)).map((r) => r.number);
      if (numbers.length === 0) return [];
      await requeue(db, this.ctx, searchId, numbers, false);
      await appendEvent(db, this.ctx, searchId, 'trials_requeued', { numbers });
      return trialsOf(db, searchId, numbers);
    });
  }
}

/** running → interrupted → queued, one more attempt, claimant cleared; `dispatched` set as given (undefined: kept). */
export async function requeue(
  db: Db,
  ctx: PgContext,
  searchId: number,
  numbers: number[],
  dispatched: boolean | undefined,
): Promise<void> {
  await db.query(
    `UPDATE trials SET status = 'interrupted' WHERE search_id = $1 AND number = ANY($2) AND status = 'running'`,
    [searchId, numbers],
  );
  await db.query(
    `UPDATE trials SET status = 'queued', attempts = attempts + 1, queued_at = $3, started_at = NULL,
       worker_host = NULL, worker_pid = NULL, worker_run = NULL, claim_heartbeat_at = NULL, progress = NULL,
       claim_token = NULL, dispatched = coalesce($4, dispatched)
     WHERE search_id = $1 AND number = ANY($2) AND status = 'interrupted'`,
    [searchId, numbers, ctx.now(), dispatched === undefined ? null : dispatched ? 1 : 0],
  );
}
