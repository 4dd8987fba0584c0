/**
 * Shared by the export tests of each per-field technique (MLET, Res-embedding, multi-size): a stored search whose
 * trials carry given field settings, and a trained model written as a saved model and read back.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EncodedDataset } from '../../src/data/encoded-dataset.js';
import { train, type TrainedModel } from '../../src/engine/index.js';
import type { FieldConfig, TrialConfig, TrialResult } from '../../src/engine/trial-config.js';
import { loadSavedModel, predict, writeSavedModel, type SavedModel } from '../../src/export/saved-model/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { configFor, plantedDataset } from '../engine/fixtures.js';

const result: TrialResult = {
  epochs: [{ epoch: 1, trainLoss: 0.6, validAuc: 0.7, validLogloss: 0.5, seconds: 1 }],
  bestEpoch: 0,
  validAuc: 0.7,
  validLogloss: 0.5,
  rowsTrained: 10,
  wallSeconds: 1,
  rowsPerSec: 10,
  backend: 'cpu',
  inferenceBytes: 100,
  trainingBytes: 300,
};

/**
 * A search over fields u and v (dims [2, 4] plus `features`, YAML flow-map entries) with one completed trial per entry
 * of `trials`: fields u and v at dim 4 with the given extra settings.
 */
export function searchWith(features: string, trials: Partial<FieldConfig>[][]) {
  const store = openSqliteStore(':memory:');
  const text = `data: { format: synthetic }\nfeatures: { dims: [2, 4], ${features} }\nreward: { budgetMB: 1 }\n`;
  const s = store.core.createSearch({
    name: 's',
    spacePath: 'space.yaml',
    spaceText: text,
    spaceHash: 'h',
    seed: 1,
    trialsBudget: 9,
  });
  const config = (extra: Partial<FieldConfig>[]): TrialConfig => ({
    ...configFor(plantedDataset({ rows: 20 })),
    fields: ['u', 'v'].map((name, i) => ({ name, dim: 4, normAlpha: 0, ...extra[i] })),
  });
  store.core.enqueueTrials(
    s.id,
    trials.map((extra, number) => ({ number, config: config(extra), seed: number })),
  );
  trials.forEach((_, number) => {
    store.core.markRunning(s.id, number);
    store.core.recordResults(s.id, [{ number, status: 'completed', result, reward: 0.7 }], { step: number, state: {} });
  });
  return { store, search: store.core.getSearch(s.id), trials: store.core.listTrials(s.id, { orderBy: 'number' }) };
}

export interface SavedRoundTrip {
  saved: SavedModel;
  modelDir: string;
  trained: TrainedModel;
  inferenceBytes: number;
  weightsBytes: number;
  /** Largest |saved-model logit − engine logit| over the test split. */
  worstError: number;
}

/**
 * Trains `config` on `data`, writes the saved model into a temporary folder, reads it back and compares its logits
 * with the engine's on the test split; `inspect` runs before the folder is removed.
 */
export async function savedModelRoundTrip(
  config: TrialConfig,
  data: EncodedDataset,
  inspect: (r: SavedRoundTrip) => void | Promise<void>,
): Promise<void> {
  let trained: TrainedModel | undefined;
  const { test } = data.splits;
  const r = await train(config, data, { evalRange: test, onTrained: (t) => (trained = t) });
  const dir = mkdtempSync(path.join(tmpdir(), 'embnas-saved-'));
  try {
    const modelDir = path.join(dir, 'model');
    writeSavedModel(modelDir, {
      search: { id: 1, name: 's', spaceHash: 'h' },
      trial: 0,
      config,
      fields: data.fields,
      weights: trained!.weights,
      metrics: {
        testAuc: r.validAuc,
        testLogloss: r.validLogloss,
        testRows: test.end - test.start,
        searchValidAuc: null,
      },
      training: { splits: ['train'], rows: test.start, epochs: config.epochs, backend: r.backend },
    });
    const saved = loadSavedModel(modelDir);
    const n = data.fields.length;
    let worstError = 0;
    for (let row = test.start; row < test.end; row++) {
      const logit = predict(saved, data.ids.subarray(row * n, (row + 1) * n));
      worstError = Math.max(worstError, Math.abs(logit - trained!.evalLogits[row - test.start]));
    }
    const weightsBytes = statSync(path.join(modelDir, 'weights.bin')).size;
    await inspect({ saved, modelDir, trained: trained!, inferenceBytes: r.inferenceBytes, weightsBytes, worstError });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
