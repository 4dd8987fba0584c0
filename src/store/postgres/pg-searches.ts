/**
 * Searches and their ownership on PostgreSQL (promises 6, 10, 11): the same rules and messages as SQLite's, with the
 * search row locked (SELECT … FOR UPDATE) where SQLite takes its write lock up front (IMMEDIATE transactions).
 */
import { ownerIsAlive, sameOwner } from '../ownership.js';
import { toSearchRecord, toSearchSummary, type SearchRow, type SummaryRow } from '../row-mappers.js';
import {
  checkBudget,
  checkSearchName,
  checkStatus,
  duplicateSearch,
  finishedAt,
  notRestartable,
} from '../search-checks.js';
import { acquiredPayload, busy, ownerOf, takenOver, withRun } from '../owner-rows.js';
import type { NewSearch, Owner, SearchRecord, SearchStatus, SearchSummary } from '../trial-store.js';
import type { Db } from './connection.js';
import { appendEvent, isAlive, observer, searchRow, type PgContext } from './pg-context.js';

const SUMMARY_SQL = (where: string) => `
  SELECT s.*, t.* FROM searches s LEFT JOIN (
    SELECT search_id,
      count(*) FILTER (WHERE status = 'queued') AS n_queued, count(*) FILTER (WHERE status = 'running') AS n_running,
      count(*) FILTER (WHERE status = 'completed') AS n_completed, count(*) FILTER (WHERE status = 'failed') AS n_failed,
      count(*) FILTER (WHERE status = 'interrupted') AS n_interrupted, sum(cache_hit) AS n_cache_hits,
      max(reward) AS best_reward, max(valid_auc) AS best_auc, max(number) AS last_number
    FROM trials ${where} GROUP BY search_id
  ) t ON t.search_id = s.id`;

export class PgSearches {
  /** Searches this store has acquired, and as whom. */
  private readonly held = new Map<number, Owner>();

  constructor(private readonly ctx: PgContext) {}

  async createSearch(search: NewSearch): Promise<SearchRecord> {
    const name = checkSearchName(search.name);
    checkBudget(search.trialsBudget);
    const id = await this.ctx.conn.transaction(async (db) => {
      // ON CONFLICT: two processes creating the same name at once cannot both pass.
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO searches (name, space_path, space_text, space_hash, seed, trials_budget, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'running', $7) ON CONFLICT (name) DO NOTHING RETURNING id`,
        [name, search.spacePath, search.spaceText, search.spaceHash, search.seed, search.trialsBudget, this.ctx.now()],
      );
      if (rows.length === 0) throw duplicateSearch(name, this.ctx.location);
      const searchId = rows[0].id;
      const created = { name, seed: search.seed, trialsBudget: search.trialsBudget };
      await appendEvent(db, this.ctx, searchId, 'search_created', created);
      if (search.started !== undefined) await appendEvent(db, this.ctx, searchId, 'started', search.started);
      return searchId;
    });
    return this.getSearch(id);
  }

  getSearch(idOrName: string | number): Promise<SearchRecord> {
    return this.ctx.conn.run(async (db) => toSearchRecord(await searchRow(db, this.ctx, idOrName), isAlive(this.ctx)));
  }

  getSummary(idOrName: string | number): Promise<SearchSummary> {
    return this.ctx.conn.run(async (db) => {
      const id = (await searchRow(db, this.ctx, idOrName)).id;
      const { rows } = await db.query<SummaryRow>(`${SUMMARY_SQL('WHERE search_id = $1')} WHERE s.id = $1`, [id]);
      return toSearchSummary(rows[0], isAlive(this.ctx));
    });
  }

  listSearches(): Promise<SearchSummary[]> {
    return this.ctx.conn.run(async (db) => {
      const { rows } = await db.query<SummaryRow>(`${SUMMARY_SQL('')} ORDER BY s.id`);
      return rows.map((row) => toSearchSummary(row, isAlive(this.ctx)));
    });
  }

  async setBudget(searchId: number, trialsBudget: number): Promise<void> {
    checkBudget(trialsBudget);
    await this.ctx.conn.run(async (db) => {
      await searchRow(db, this.ctx, searchId);
      await db.query('UPDATE searches SET trials_budget = $1 WHERE id = $2', [trialsBudget, searchId]);
    });
  }

  async restartSearch(searchId: number, search: Omit<NewSearch, 'name'>): Promise<SearchRecord> {
    checkBudget(search.trialsBudget);
    await this.ctx.conn.transaction(async (db) => {
      const row = await searchRow(db, this.ctx, searchId, true);
      for (const table of ['trials', 'controller_snapshots', 'checkpoints']) {
        const used = await db.query(`SELECT 1 FROM ${table} WHERE search_id = $1 LIMIT 1`, [searchId]);
        if (used.rows.length > 0) throw notRestartable(row.name, table);
      }
      await db.query(
        `UPDATE searches SET space_path = $1, space_text = $2, space_hash = $3, seed = $4, trials_budget = $5,
         status = 'running', finished_at = NULL WHERE id = $6`,
        [search.spacePath, search.spaceText, search.spaceHash, search.seed, search.trialsBudget, searchId],
      );
      const restarted = { seed: search.seed, trialsBudget: search.trialsBudget };
      await appendEvent(db, this.ctx, searchId, 'search_restarted', restarted);
      if (search.started !== undefined) await appendEvent(db, this.ctx, searchId, 'started', search.started);
    });
    return this.getSearch(searchId);
  }

  async setStatus(searchId: number, status: SearchStatus): Promise<void> {
    checkStatus(status);
    await this.ctx.conn.run(async (db) => {
      await searchRow(db, this.ctx, searchId);
      const at = finishedAt(status, this.ctx.now());
      await db.query('UPDATE searches SET status = $1, finished_at = $2 WHERE id = $3', [status, at, searchId]);
    });
  }

  // ── ownership ─────────────────────────────────────────────────────────────────────────────────────────────────

  async acquire(searchId: number, who: Owner): Promise<void> {
    const claimant = withRun(who);
    await this.ctx.conn.transaction(async (db) => {
      // The row lock: two processes resuming the same search at once must not both see it unowned.
      const row = await searchRow(db, this.ctx, searchId, true);
      const current = ownerOf(row);
      const takeover = current !== null && !sameOwner(current, claimant) && !ownerIsAlive(current, observer(this.ctx));
      if (current && !sameOwner(current, claimant) && !takeover) {
        throw busy(row, current, this.ctx.now(), this.ctx.staleAfterMs);
      }
      await db.query(
        'UPDATE searches SET owner_pid = $1, owner_host = $2, owner_run = $3, heartbeat_at = $4 WHERE id = $5',
        [claimant.pid, claimant.host, claimant.run ?? null, this.ctx.now(), searchId],
      );
      await appendEvent(db, this.ctx, searchId, 'owner_acquired', acquiredPayload(claimant, takeover ? current : null));
    });
    this.held.set(searchId, claimant);
  }

  async heartbeat(searchId: number): Promise<void> {
    const me = this.held.get(searchId);
    if (!me) throw new Error(`heartbeat for search ${searchId}, which this store has not acquired`);
    await this.ctx.conn.run(async (db) => {
      const info = await db.query(
        `UPDATE searches SET heartbeat_at = $1
         WHERE id = $2 AND owner_pid = $3 AND owner_host = $4 AND owner_run IS NOT DISTINCT FROM $5`,
        [this.ctx.now(), searchId, me.pid, me.host, me.run ?? null],
      );
      if (info.rowCount === 0) {
        this.held.delete(searchId);
        throw takenOver(await searchRow(db, this.ctx, searchId));
      }
    });
  }

  async release(searchId: number): Promise<void> {
    const me = this.held.get(searchId);
    if (!me) return;
    this.held.delete(searchId);
    await this.ctx.conn.transaction(async (db) => {
      const info = await db.query(
        `UPDATE searches SET owner_pid = NULL, owner_host = NULL, owner_run = NULL, heartbeat_at = NULL
         WHERE id = $1 AND owner_pid = $2 AND owner_host = $3 AND owner_run IS NOT DISTINCT FROM $4`,
        [searchId, me.pid, me.host, me.run ?? null],
      );
      if (info.rowCount) await appendEvent(db, this.ctx, searchId, 'owner_released', { pid: me.pid, host: me.host });
    });
  }

  /** Recovery may only touch a search that no other live process is running (inside the caller's transaction). */
  async assertNoOtherLiveOwner(db: Db, searchId: number): Promise<SearchRow> {
    const row = await searchRow(db, this.ctx, searchId, true);
    const current = ownerOf(row);
    if (!current) return row;
    const me = this.held.get(searchId) ?? withRun({ pid: process.pid, host: this.ctx.host });
    if (sameOwner(current, me)) return row;
    if (ownerIsAlive(current, observer(this.ctx))) throw busy(row, current, this.ctx.now(), this.ctx.staleAfterMs);
    return row;
  }
}
