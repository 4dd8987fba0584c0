/**
 * Is the process that owns a search still alive? On our own host the kernel knows (signal 0 to the pid); for another
 * host (a database on a shared disk) the only evidence is the owner's heartbeat, so an owner that has not beaten for
 * the staleness window is presumed dead.
 */
import type { Owner } from './trial-store.js';

/** How long a heartbeat from another host stays proof of life. */
export const DEFAULT_STALE_AFTER_MS = 30_000;
/** How often an owner should call `heartbeat`: several beats fit in the staleness window, so one late beat is fine. */
export const HEARTBEAT_EVERY_MS = 5_000;

export function pidIsAlive(pid: number): boolean {
  // pid 0 and negative pids address process groups, not a process: never treat them as a live owner.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else — alive all the same.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OwnerEvidence extends Owner {
  heartbeatAt: number;
}

export function ownerIsAlive(owner: OwnerEvidence, observerHost: string, now: number, staleAfterMs: number): boolean {
  if (owner.host === observerHost) return pidIsAlive(owner.pid);
  return now - owner.heartbeatAt <= staleAfterMs;
}

export function sameOwner(a: Owner, b: Owner): boolean {
  return a.pid === b.pid && a.host === b.host;
}
