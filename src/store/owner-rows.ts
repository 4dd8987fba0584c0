/**
 * A search row's owner, and what taking it says: the owner evidence of a row, the claimant's run, the refusal while
 * another live process runs the search, the event of a takeover and the refusal after one. Shared by the SQLite and
 * PostgreSQL stores, so a user reads the same lines whichever database holds the search.
 */
import { UsageError } from '../errors.js';
import { HEARTBEAT_TIMEOUT_ENV, RUN_ID, type OwnerEvidence } from './ownership.js';
import type { SearchRow } from './row-mappers.js';
import type { Owner } from './trial-store.js';

/** The owner evidence of a search row. */
export function ownerOf(row: SearchRow): OwnerEvidence | null {
  if (row.owner_pid === null || row.owner_host === null) return null;
  return {
    pid: row.owner_pid,
    host: row.owner_host,
    heartbeatAt: row.heartbeat_at ?? 0,
    ...(row.owner_run ? { run: row.owner_run } : {}),
  };
}

/** A claimant without a run id is this process's run when it is this process (tests stand in for other pids). */
export function withRun(claimant: Owner): Owner {
  const run = claimant.run ?? (claimant.pid === process.pid ? RUN_ID : undefined);
  return run === undefined
    ? { pid: claimant.pid, host: claimant.host }
    : { pid: claimant.pid, host: claimant.host, run };
}

/** The refusal of promise 6: who runs the search, and how old its heartbeat is. */
export function busy(row: SearchRow, owner: OwnerEvidence, now: number, staleAfterMs: number): UsageError {
  const age = Math.max(0, Math.round((now - owner.heartbeatAt) / 1000));
  const run = owner.run ? `, run ${owner.run.slice(0, 8)}` : '';
  return new UsageError(
    `search '${row.name}' is being run by pid ${owner.pid} on host ${owner.host}${run} (last heartbeat ${age} s ago)`,
    `stop it first or wait: a run whose heartbeat is ${staleAfterMs / 1000} s old counts as gone (${HEARTBEAT_TIMEOUT_ENV})`,
  );
}

/** The 'owner_acquired' event: the new owner, and the dead one it took over from. */
export function acquiredPayload(claimant: Owner, takenOverFrom: OwnerEvidence | null) {
  const from = takenOverFrom;
  return {
    pid: claimant.pid,
    host: claimant.host,
    ...(claimant.run ? { run: claimant.run } : {}),
    ...(from ? { takenOverFrom: { pid: from.pid, host: from.host, ...(from.run ? { run: from.run } : {}) } } : {}),
  };
}

/** The refusal of a heartbeat after a takeover (promise 6). */
export function takenOver(row: SearchRow): UsageError {
  const now = ownerOf(row);
  return new UsageError(
    `search '${row.name}' was taken over by ${now ? `pid ${now.pid} on host ${now.host}` : 'another process'}`,
    'this process stopped writing to it; resume it once the other run has stopped',
  );
}
