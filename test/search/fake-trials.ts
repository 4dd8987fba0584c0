/**
 * A stand-in for the worker pool: "trains" a config instantly with a result that is a pure function of the config
 * and its seed, finishing in a scrambled order, so the search loop can be tested for determinism, resume and caching
 * without tfjs.
 */
import type { EncodedDataset } from '../../src/data/encoded-dataset.js';
import { sharedFloat32, sharedInt32 } from '../../src/data/encoded-dataset.js';
import type { TrainProgress, TrialConfig, TrialResult } from '../../src/engine/trial-config.js';
import type { TrialOutcome } from '../../src/search/trial-pool.js';
import type { TrialRunner } from '../../src/search/search-listener.js';

export const FIELDS = [
  { name: 'user', rows: 1000 },
  { name: 'item', rows: 500 },
  { name: 'noise', rows: 100 },
];

export function tinyDataset(): EncodedDataset {
  const numRows = 10;
  return {
    source: 'test',
    numRows,
    ids: sharedInt32(numRows * FIELDS.length),
    labels: sharedFloat32(numRows),
    splits: { train: { start: 0, end: 6 }, valid: { start: 6, end: 8 }, test: { start: 8, end: 10 } },
    fields: FIELDS.map((f) => ({
      name: f.name,
      rows: f.rows,
      kept: f.rows - 2,
      oovId: f.rows - 2,
      missingId: f.rows - 1,
      keyDigest: 'fixture',
      counts: new Int32Array(f.rows),
      distinct: f.rows - 2,
      values: [],
    })),
  };
}

export class FakeTrials implements TrialRunner {
  readonly trained: TrialConfig[] = [];
  /** Called before each trial resolves; throw or stop the runner from here to simulate failures and interruptions. */
  beforeFinish?: (config: TrialConfig, index: number) => void | Promise<void>;
  failWhen?: (config: TrialConfig) => string | undefined;

  async run(config: TrialConfig, onProgress: (p: TrainProgress) => void, signal?: AbortSignal): Promise<TrialOutcome> {
    const index = this.trained.length;
    this.trained.push(config);
    onProgress({ epoch: 1, epochs: 1, batch: 1, batches: 2, rowsPerSec: 1000, loss: 0.6 });
    // Scramble completion order: later trials sometimes finish first.
    await new Promise((r) => setTimeout(r, (config.seed % 7) + 1));
    await this.beforeFinish?.(config, index);
    if (signal?.aborted) return { ok: false, error: 'interrupted', aborted: true };
    const failure = this.failWhen?.(config);
    if (failure) return { ok: false, error: failure, aborted: false };
    return { ok: true, result: fakeResult(config) };
  }
}

/** AUC rises with the informative fields' dims, not with the noise field's; a little seed noise. */
export function fakeResult(config: TrialConfig): TrialResult {
  const dim = (name: string) => config.fields.find((f) => f.name === name)?.dim ?? 0;
  const auc = 0.5 + 0.02 * Math.log2(1 + dim('user')) + 0.02 * Math.log2(1 + dim('item')) + (config.seed % 1000) / 1e6;
  const bytes = config.fields.reduce((s, f) => s + FIELDS.find((x) => x.name === f.name)!.rows * f.dim * 4, 0);
  return {
    epochs: [{ epoch: 1, trainLoss: 0.6, validAuc: auc, validLogloss: 0.6, seconds: 0.01 }],
    bestEpoch: 0,
    validAuc: auc,
    validLogloss: 0.6,
    rowsTrained: 6,
    wallSeconds: 0.01,
    rowsPerSec: 600,
    backend: 'cpu',
    inferenceBytes: bytes,
    trainingBytes: bytes * 3,
  };
}
