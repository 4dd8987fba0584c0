/**
 * Who may take a running trial back (shared by the SQLite and PostgreSQL stores). A claimant — the worker that marked
 * or claimed a trial running — is alive by the owners' rule (promise 11) applied to its claim heartbeat. The owner's
 * recovery takes back what nobody is training any more, or what it aborted itself; a worker's sweep of stale claims
 * takes back only what dead claimants left, never its own run's. Each claim writes a token of its own call to the
 * trial, which a retried claim looks for.
 */
import { randomUUID } from 'node:crypto';
import { ownerIsAlive, RUN_ID, type Observer } from './ownership.js';
import type { TrialRecord, TrialWorker } from './trial-store.js';

/** The liveness evidence of a claim, as stored in a trial row. */
export interface ClaimEvidence {
  worker_host: string | null;
  worker_pid: number | null;
  worker_run: string | null;
  claim_heartbeat_at: number | null;
}

function claimant(row: ClaimEvidence): (TrialWorker & { heartbeatAt: number }) | null {
  if (row.worker_host === null || row.worker_pid === null || row.worker_run === null) return null;
  return { host: row.worker_host, pid: row.worker_pid, run: row.worker_run, heartbeatAt: row.claim_heartbeat_at ?? 0 };
}

/** recoverInterrupted (promise 18): no claimant, this run's own claim, or a dead claimant. */
export function ownerMayRecover(row: ClaimEvidence, observer: Observer): boolean {
  const who = claimant(row);
  return who === null || who.run === RUN_ID || !ownerIsAlive(who, observer);
}

/** requeueStale (promise 17): a dead claimant of another run. */
export function claimIsStale(row: ClaimEvidence, observer: Observer): boolean {
  const who = claimant(row);
  return who !== null && who.run !== RUN_ID && !ownerIsAlive(who, observer);
}

/** A worker, checked before it is written: a claim must name a host, a pid and a run. */
export function checkWorker(worker: TrialWorker): TrialWorker {
  if (!worker || typeof worker.host !== 'string' || !Number.isInteger(worker.pid) || typeof worker.run !== 'string') {
    throw new Error(`a trial worker needs a host, an integer pid and a run id: ${JSON.stringify(worker)}`);
  }
  return worker;
}

/**
 * A new claim token: one per `claimTrial` call, made before its first try and kept across the reconnection retries of
 * that call, so that a retry can find the trial its first try took (promise 19).
 */
export function newClaimToken(): string {
  return randomUUID();
}

/** Why a trial could not move to `target`: it does not exist, it is completed (immutable), or it is elsewhere. */
export function transitionError(
  trial: TrialRecord | undefined,
  searchId: number,
  number: number,
  target: string,
  from: string[],
): Error {
  if (!trial) return new Error(`search ${searchId} has no trial ${number}`);
  if (trial.status === 'completed') {
    return new Error(`trial ${number} of search ${searchId} is completed and cannot be modified`);
  }
  return new Error(
    `trial ${number} of search ${searchId} is ${trial.status}, not ${from.join(' or ')}: cannot mark it ${target}`,
  );
}

/** The progress payload as stored: JSON text, null when there is none. */
export function progressJson(progress: unknown): string | null {
  return progress === undefined || progress === null ? null : JSON.stringify(progress);
}
