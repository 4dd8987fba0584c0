/**
 * One process at a time runs a search. The owner (pid, host, run id) and its heartbeat live in the searches row; this
 * class takes, keeps and gives back that ownership, and remembers which searches this store holds so that a heartbeat
 * can notice a takeover.
 */
import { acquiredPayload, busy, ownerOf, takenOver, withRun } from '../owner-rows.js';
import { ownerIsAlive, sameOwner } from '../ownership.js';
import type { StoreContext } from './store-context.js';
import type { Owner } from '../trial-store.js';

export class SearchOwnership {
  /** Searches this store has acquired, and as whom. */
  private readonly held = new Map<number, Owner>();

  constructor(private readonly ctx: StoreContext) {}

  acquire(searchId: number, who: Owner): void {
    const claimant = withRun(who);
    const take = this.ctx.db.transaction(() => {
      const row = this.ctx.searchRow(searchId);
      const current = ownerOf(row);
      const takeover = current !== null && !sameOwner(current, claimant) && !ownerIsAlive(current, this.observer());
      if (current && !sameOwner(current, claimant) && !takeover)
        throw busy(row, current, this.ctx.now(), this.ctx.staleAfterMs);
      this.ctx
        .sql('UPDATE searches SET owner_pid = ?, owner_host = ?, owner_run = ?, heartbeat_at = ? WHERE id = ?')
        .run(claimant.pid, claimant.host, claimant.run ?? null, this.ctx.now(), searchId);
      this.ctx.appendEvent(searchId, 'owner_acquired', acquiredPayload(claimant, takeover ? current : null));
    });
    // IMMEDIATE: two processes resuming the same search at once must not both see it unowned.
    take.immediate();
    this.held.set(searchId, claimant);
  }

  private observer() {
    return { host: this.ctx.host, now: this.ctx.now(), staleAfterMs: this.ctx.staleAfterMs };
  }

  heartbeat(searchId: number): void {
    const me = this.held.get(searchId);
    if (!me) throw new Error(`heartbeat for search ${searchId}, which this store has not acquired`);
    const info = this.ctx
      .sql('UPDATE searches SET heartbeat_at = ? WHERE id = ? AND owner_pid = ? AND owner_host = ? AND owner_run IS ?')
      .run(this.ctx.now(), searchId, me.pid, me.host, me.run ?? null);
    if (info.changes === 0) {
      this.held.delete(searchId);
      throw takenOver(this.ctx.searchRow(searchId));
    }
  }

  release(searchId: number): void {
    const me = this.held.get(searchId);
    if (!me) return;
    this.held.delete(searchId);
    this.ctx.db.transaction(() => {
      const info = this.ctx
        .sql(
          `UPDATE searches SET owner_pid = NULL, owner_host = NULL, owner_run = NULL, heartbeat_at = NULL
           WHERE id = ? AND owner_pid = ? AND owner_host = ? AND owner_run IS ?`,
        )
        .run(searchId, me.pid, me.host, me.run ?? null);
      if (info.changes > 0) this.ctx.appendEvent(searchId, 'owner_released', { pid: me.pid, host: me.host });
    })();
  }

  /** Recovery may only touch a search that no other live process is running. */
  assertNoOtherLiveOwner(searchId: number): void {
    const row = this.ctx.searchRow(searchId);
    const current = ownerOf(row);
    if (!current) return;
    const me = this.held.get(searchId) ?? withRun({ pid: process.pid, host: this.ctx.host });
    if (sameOwner(current, me)) return;
    if (ownerIsAlive(current, this.observer())) throw busy(row, current, this.ctx.now(), this.ctx.staleAfterMs);
  }
}
