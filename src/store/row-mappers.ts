/**
 * Rows as SQLite returns them ↔ the records the rest of embnas sees. Column names are snake_case, records camelCase;
 * JSON columns are parsed here and nowhere else.
 */
import type { BackendName, TrialConfig, TrialResult } from '../engine/trial-config.js';
import type {
  EventRecord,
  OwnerRecord,
  SearchRecord,
  SearchStatus,
  SearchSummary,
  StoredSnapshot,
  TrialRecord,
  TrialStatus,
  TrialWorker,
} from './trial-store.js';

export interface SearchRow {
  id: number;
  name: string;
  space_path: string;
  space_text: string;
  space_hash: string;
  seed: number;
  trials_budget: number;
  status: SearchStatus;
  owner_pid: number | null;
  owner_host: string | null;
  /** Schema 3 on; null for an owner recorded before run ids. */
  owner_run: string | null;
  heartbeat_at: number | null;
  created_at: number;
  finished_at: number | null;
}

export interface SummaryRow extends SearchRow {
  n_queued: number | null;
  n_running: number | null;
  n_completed: number | null;
  n_failed: number | null;
  n_interrupted: number | null;
  n_cache_hits: number | null;
  best_reward: number | null;
  best_auc: number | null;
  last_number: number | null;
}

export interface TrialRow {
  search_id: number;
  number: number;
  config: string;
  config_key: string;
  seed: number;
  status: TrialStatus;
  epochs: string | null;
  best_epoch: number | null;
  valid_auc: number | null;
  valid_logloss: number | null;
  memory_bytes: number | null;
  training_bytes: number | null;
  rows_trained: number | null;
  reward: number | null;
  backend: string | null;
  rows_per_sec: number | null;
  wall_seconds: number | null;
  cache_hit: number;
  error: string | null;
  queued_at: number;
  started_at: number | null;
  finished_at: number | null;
  attempts: number;
  /** Schema 4 on (the queue); old rows read as not dispatched, no worker, no progress. */
  dispatched: number;
  worker_host: string | null;
  worker_pid: number | null;
  worker_run: string | null;
  claim_heartbeat_at: number | null;
  progress: string | null;
  /** Schema 5 on: the token of the claim that marked it running (promise 19); null when not claimed by a worker. */
  claim_token: string | null;
}

export interface SnapshotRow {
  step: number;
  state: string;
  created_at: number;
}

export interface EventRow {
  id: number;
  search_id: number;
  at: number;
  kind: string;
  payload: string | null;
}

/** `isAlive` decides liveness at read time; the row only holds the evidence (pid, host, last heartbeat). */
export function toSearchRecord(
  row: SearchRow,
  isAlive: (owner: { pid: number; host: string; run?: string; heartbeatAt: number }) => boolean,
): SearchRecord {
  let owner: OwnerRecord | null = null;
  if (row.owner_pid !== null && row.owner_host !== null) {
    const evidence = {
      pid: row.owner_pid,
      host: row.owner_host,
      heartbeatAt: row.heartbeat_at ?? 0,
      ...(row.owner_run ? { run: row.owner_run } : {}),
    };
    owner = { ...evidence, alive: isAlive(evidence) };
  }
  return {
    id: row.id,
    name: row.name,
    spacePath: row.space_path,
    spaceText: row.space_text,
    spaceHash: row.space_hash,
    seed: row.seed,
    trialsBudget: row.trials_budget,
    status: row.status,
    owner,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

export function toSearchSummary(row: SummaryRow, isAlive: Parameters<typeof toSearchRecord>[1]): SearchSummary {
  return {
    ...toSearchRecord(row, isAlive),
    counts: {
      queued: row.n_queued ?? 0,
      running: row.n_running ?? 0,
      completed: row.n_completed ?? 0,
      failed: row.n_failed ?? 0,
      interrupted: row.n_interrupted ?? 0,
    },
    cacheHits: row.n_cache_hits ?? 0,
    bestReward: row.best_reward,
    bestAuc: row.best_auc,
    lastTrialNumber: row.last_number,
  };
}

function toResult(row: TrialRow): TrialResult | null {
  if (row.status !== 'completed' || row.epochs === null) return null;
  return {
    epochs: JSON.parse(row.epochs),
    bestEpoch: row.best_epoch ?? 0,
    validAuc: row.valid_auc ?? Number.NaN,
    validLogloss: row.valid_logloss ?? Number.NaN,
    rowsTrained: row.rows_trained ?? 0,
    wallSeconds: row.wall_seconds ?? 0,
    rowsPerSec: row.rows_per_sec ?? 0,
    backend: (row.backend ?? 'cpu') as BackendName,
    inferenceBytes: row.memory_bytes ?? 0,
    trainingBytes: row.training_bytes ?? 0,
  };
}

export function toTrialRecord(row: TrialRow): TrialRecord {
  return {
    searchId: row.search_id,
    number: row.number,
    config: JSON.parse(row.config) as TrialConfig,
    configKey: row.config_key,
    seed: row.seed,
    status: row.status,
    result: toResult(row),
    reward: row.reward,
    cacheHit: row.cache_hit === 1,
    error: row.error,
    attempts: row.attempts,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    worker: workerOf(row),
    progress: row.progress === null ? null : JSON.parse(row.progress),
    dispatched: row.dispatched === 1,
  };
}

export function workerOf(row: TrialRow): TrialWorker | null {
  if (row.worker_host === null || row.worker_pid === null || row.worker_run === null) return null;
  return { host: row.worker_host, pid: row.worker_pid, run: row.worker_run };
}

/** Named parameters for the UPDATE that completes a trial (see sqlite-store.ts). */
export function completedParams(result: TrialResult, reward: number, cacheHit: boolean) {
  return {
    epochs: JSON.stringify(result.epochs),
    best_epoch: result.bestEpoch,
    valid_auc: result.validAuc,
    valid_logloss: result.validLogloss,
    memory_bytes: result.inferenceBytes,
    training_bytes: result.trainingBytes,
    rows_trained: result.rowsTrained,
    reward,
    backend: result.backend,
    rows_per_sec: result.rowsPerSec,
    wall_seconds: result.wallSeconds,
    cache_hit: cacheHit ? 1 : 0,
  };
}

export function toSnapshot(row: SnapshotRow): StoredSnapshot {
  return { step: row.step, state: JSON.parse(row.state), createdAt: row.created_at };
}

export function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    searchId: row.search_id,
    at: row.at,
    kind: row.kind,
    payload: row.payload === null ? null : JSON.parse(row.payload),
  };
}
