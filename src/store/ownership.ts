/**
 * Is the process that owns a search still alive? The owner writes a heartbeat into the search row while it holds it;
 * a heartbeat older than the staleness window means the owner is gone, whatever process now has its pid (pids are
 * reused). A fresh heartbeat is trusted from another host (a database on a shared disk); on our own host the kernel
 * can also say at once that the pid is gone (a kill -9 is seen without waiting for the window). Each process is one
 * run with its own id, so a new process that got a dead owner's pid (a restarted container) is not mistaken for it.
 */
import { randomUUID } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { Owner } from './trial-store.js';

/** How long a heartbeat stays proof of life, by default. */
export const DEFAULT_STALE_AFTER_MS = 30_000;
/** Heartbeats per staleness window: one or two late beats (a busy main thread) do not make a live owner look dead. */
export const BEATS_PER_WINDOW = 6;
/** Sets the staleness window, in seconds. */
export const HEARTBEAT_TIMEOUT_ENV = 'EMBNAS_HEARTBEAT_TIMEOUT_S';

/** This process's run id: written with its ownership, so that an owner is one process run, not a reusable pid. */
export const RUN_ID = randomUUID();

/** The staleness window: EMBNAS_HEARTBEAT_TIMEOUT_S seconds when set, else 30 s. */
export function staleAfterMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[HEARTBEAT_TIMEOUT_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_STALE_AFTER_MS;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 1) {
    throw new UsageError(
      `${HEARTBEAT_TIMEOUT_ENV}=${raw}: not a number of seconds ≥ 1`,
      `set it to e.g. ${HEARTBEAT_TIMEOUT_ENV}=60, or unset it for 30 s`,
    );
  }
  return s * 1000;
}

/** How often an owner beats: BEATS_PER_WINDOW times per staleness window (every 5 s by default). */
export function heartbeatEveryMs(staleAfterMs: number): number {
  return staleAfterMs / BEATS_PER_WINDOW;
}

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

export interface Observer {
  host: string;
  now: number;
  staleAfterMs: number;
}

export function ownerIsAlive(owner: OwnerEvidence, observer: Observer): boolean {
  if (observer.now - owner.heartbeatAt > observer.staleAfterMs) return false;
  if (owner.host !== observer.host) return true;
  // Our own pid under another run id: an earlier process that had this pid, now gone.
  if (owner.pid === process.pid) return owner.run === undefined || owner.run === RUN_ID;
  return pidIsAlive(owner.pid);
}

/** Same run when both carry a run id (rows from before run ids carry none): else same pid on the same host. */
export function sameOwner(a: Owner, b: Owner): boolean {
  if (a.run !== undefined && b.run !== undefined) return a.run === b.run;
  return a.pid === b.pid && a.host === b.host;
}
