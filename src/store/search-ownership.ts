/**
 * One process at a time runs a search. The owner (pid, host) and its heartbeat live in the searches row; this class
 * takes, keeps and gives back that ownership, and remembers which searches this store holds so that a heartbeat can
 * notice a takeover.
 */
import { UsageError } from '../errors.js';
import { ownerIsAlive, sameOwner, type OwnerEvidence } from './ownership.js';
import type { SearchRow } from './row-mappers.js';
import type { StoreContext } from './store-context.js';
import type { Owner } from './trial-store.js';

function ownerOf(row: SearchRow): OwnerEvidence | null {
  if (row.owner_pid === null || row.owner_host === null) return null;
  return { pid: row.owner_pid, host: row.owner_host, heartbeatAt: row.heartbeat_at ?? 0 };
}

function busy(row: SearchRow, owner: Owner): UsageError {
  return new UsageError(
    `search '${row.name}' is being run by pid ${owner.pid} on host ${owner.host}`,
    'stop it first or wait',
  );
}

export class SearchOwnership {
  /** Searches this store has acquired, and as whom. */
  private readonly held = new Map<number, Owner>();

  constructor(private readonly ctx: StoreContext) {}

  acquire(searchId: number, claimant: Owner): void {
    const take = this.ctx.db.transaction(() => {
      const row = this.ctx.searchRow(searchId);
      const current = ownerOf(row);
      const takeover =
        current !== null &&
        !sameOwner(current, claimant) &&
        !ownerIsAlive(current, claimant.host, this.ctx.now(), this.ctx.staleAfterMs);
      if (current && !sameOwner(current, claimant) && !takeover) throw busy(row, current);
      this.ctx
        .sql('UPDATE searches SET owner_pid = ?, owner_host = ?, heartbeat_at = ? WHERE id = ?')
        .run(claimant.pid, claimant.host, this.ctx.now(), searchId);
      this.ctx.appendEvent(searchId, 'owner_acquired', {
        pid: claimant.pid,
        host: claimant.host,
        ...(takeover && current ? { takenOverFrom: { pid: current.pid, host: current.host } } : {}),
      });
    });
    // IMMEDIATE: two processes resuming the same search at once must not both see it unowned.
    take.immediate();
    this.held.set(searchId, { pid: claimant.pid, host: claimant.host });
  }

  heartbeat(searchId: number): void {
    const me = this.held.get(searchId);
    if (!me) throw new Error(`heartbeat for search ${searchId}, which this store has not acquired`);
    const info = this.ctx
      .sql('UPDATE searches SET heartbeat_at = ? WHERE id = ? AND owner_pid = ? AND owner_host = ?')
      .run(this.ctx.now(), searchId, me.pid, me.host);
    if (info.changes === 0) {
      this.held.delete(searchId);
      const row = this.ctx.searchRow(searchId);
      const now = ownerOf(row);
      throw new UsageError(
        `search '${row.name}' was taken over by ${now ? `pid ${now.pid} on host ${now.host}` : 'another process'}`,
        'this process stopped writing to it; resume it once the other run has stopped',
      );
    }
  }

  release(searchId: number): void {
    const me = this.held.get(searchId);
    if (!me) return;
    this.held.delete(searchId);
    this.ctx.db.transaction(() => {
      const info = this.ctx
        .sql(
          `UPDATE searches SET owner_pid = NULL, owner_host = NULL, heartbeat_at = NULL
           WHERE id = ? AND owner_pid = ? AND owner_host = ?`,
        )
        .run(searchId, me.pid, me.host);
      if (info.changes > 0) this.ctx.appendEvent(searchId, 'owner_released', { pid: me.pid, host: me.host });
    })();
  }

  /** Recovery may only touch a search that no other live process is running. */
  assertNoOtherLiveOwner(searchId: number): void {
    const row = this.ctx.searchRow(searchId);
    const current = ownerOf(row);
    if (!current) return;
    const me = this.held.get(searchId) ?? { pid: process.pid, host: this.ctx.host };
    if (sameOwner(current, me)) return;
    if (ownerIsAlive(current, this.ctx.host, this.ctx.now(), this.ctx.staleAfterMs)) throw busy(row, current);
  }
}
