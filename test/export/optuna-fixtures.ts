/** A small finished-and-unfinished search in a temporary store, for the Optuna export tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TrialConfig, TrialResult } from '../../src/engine/trial-config.js';
import { openSqliteStore, type SqliteTrialStore } from '../../src/store/index.js';

/** item overrides the default dims; 1e-5 is a candidate Python prints as "1e-05". */
export const SPACE_TEXT = `name: tiny
data:
  format: synthetic
features:
  dims: [0, 2, 4, 8]
  normBudgets: [0, 1.0e-5, 1.0e-3]
  fields:
    item: { dims: [4, 16, 32] }
reward: { budgetMB: 0.05 }
`;

export const FIELDS = ['user', 'item', 'ctx'];

export interface PlannedTrial {
  number: number;
  dims: number[];
  alphas: number[];
  outcome: { auc: number; memory: number; cacheHit?: boolean } | 'failed' | 'running' | 'queued';
}

/** Trial 3 is dominated by trial 1; the Pareto front is 0, 1, 4. */
export const PLAN: PlannedTrial[] = [
  { number: 0, dims: [2, 4, 0], alphas: [0, 1e-5, 0], outcome: { auc: 0.7, memory: 1000 } },
  { number: 1, dims: [4, 16, 2], alphas: [1e-3, 0, 1e-5], outcome: { auc: 0.75, memory: 3000 } },
  { number: 2, dims: [8, 32, 8], alphas: [0, 0, 0], outcome: 'failed' },
  { number: 3, dims: [8, 16, 4], alphas: [1e-5, 1e-3, 0], outcome: { auc: 0.72, memory: 5000 } },
  { number: 4, dims: [8, 32, 4], alphas: [1e-3, 1e-3, 1e-3], outcome: { auc: 0.8, memory: 8000, cacheHit: true } },
  { number: 5, dims: [0, 4, 2], alphas: [0, 0, 1e-3], outcome: 'running' },
  { number: 6, dims: [2, 4, 8], alphas: [1e-5, 0, 0], outcome: 'queued' },
];

export const START_MS = 1_700_000_000_123;

function config(t: PlannedTrial): TrialConfig {
  return {
    fields: FIELDS.map((name, i) => ({ name, dim: t.dims[i], normAlpha: t.alphas[i] })),
    tower: [16],
    optimizer: 'adam',
    lr: 0.001,
    batchSize: 256,
    epochs: 2,
    patience: 1,
    seed: 100 + t.number,
  };
}

function result(auc: number, memory: number): TrialResult {
  return {
    epochs: [
      { epoch: 0, trainLoss: 0.6, validAuc: auc - 0.02, validLogloss: 0.5, seconds: 1 },
      { epoch: 1, trainLoss: 0.55, validAuc: auc, validLogloss: 0.48, seconds: 1.5 },
    ],
    bestEpoch: 1,
    validAuc: auc,
    validLogloss: 0.48,
    rowsTrained: 1000,
    wallSeconds: 2.5,
    rowsPerSec: 400,
    backend: 'cpu',
    inferenceBytes: memory,
    trainingBytes: memory * 3,
  };
}

/** A store holding search "tiny" built from PLAN, with a clock that advances 1.5 s per call. */
export function tinySearchStore(): { dir: string; store: SqliteTrialStore; searchId: number; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'embnas-optuna-'));
  let t = START_MS;
  const store = openSqliteStore(path.join(dir, 'trials.db'), { now: () => (t += 1500) });
  const s = store.core.createSearch({
    name: 'tiny',
    spacePath: 'spaces/tiny.yaml',
    spaceText: SPACE_TEXT,
    spaceHash: 'hash-tiny',
    seed: 42,
    trialsBudget: 10,
  });
  store.core.enqueueTrials(
    s.id,
    PLAN.map((p) => ({ number: p.number, config: config(p), seed: 100 + p.number })),
  );
  for (const p of PLAN) {
    if (p.outcome === 'queued') continue;
    if (typeof p.outcome === 'object' && p.outcome.cacheHit) {
      const { auc, memory } = p.outcome;
      store.core.recordResults(
        s.id,
        [{ number: p.number, status: 'completed', result: result(auc, memory), reward: auc, cacheHit: true }],
        { step: p.number, state: {} },
      );
      continue;
    }
    store.core.markRunning(s.id, p.number);
    if (p.outcome === 'running') continue;
    const done =
      p.outcome === 'failed'
        ? { number: p.number, status: 'failed' as const, error: 'out of memory: ünïcode ✓' }
        : {
            number: p.number,
            status: 'completed' as const,
            result: result(p.outcome.auc, p.outcome.memory),
            reward: p.outcome.auc - 0.01,
          };
    store.core.recordResults(s.id, [done], { step: p.number, state: {} });
  }
  return {
    dir,
    store,
    searchId: s.id,
    cleanup: () => {
      store.core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
