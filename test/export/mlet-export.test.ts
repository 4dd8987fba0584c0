/**
 * Exports of trials with MLET factors: the mletFactor per feature (JSON/YAML), mlet_<field> columns (CSV) and
 * parameters (Optuna) only when present or searched, and saved models that hold the collapsed table and predict what
 * the engine predicted.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend, train, type TrainedModel } from '../../src/engine/index.js';
import type { TrialConfig, TrialResult } from '../../src/engine/trial-config.js';
import { trialsCsv } from '../../src/export/csv.js';
import { exportTrial } from '../../src/export/exported-trial.js';
import { optunaStudyRows } from '../../src/export/optuna/study-rows.js';
import { loadSavedModel, predict, writeSavedModel } from '../../src/export/saved-model.js';
import { openStore } from '../../src/store/index.js';
import { configFor, plantedDataset } from '../engine/fixtures.js';

const spaceText = (factors: string) => `data: { format: synthetic }\nfeatures: { dims: [2, 4], mletFactors: ${factors} }\nreward: { budgetMB: 1 }\n`;

const result: TrialResult = {
  epochs: [{ epoch: 1, trainLoss: 0.6, validAuc: 0.7, validLogloss: 0.5, seconds: 1 }],
  bestEpoch: 0, validAuc: 0.7, validLogloss: 0.5, rowsTrained: 10, wallSeconds: 1, rowsPerSec: 10,
  backend: 'cpu', inferenceBytes: 100, trainingBytes: 300,
};

/** A search over fields u and v whose trials carry the given factors (undefined = no mletFactor in the config). */
function searchWith(factors: string, trials: (number | undefined)[][]) {
  const store = openStore(':memory:');
  const text = spaceText(factors);
  const s = store.createSearch({ name: 's', spacePath: 'space.yaml', spaceText: text, spaceHash: 'h', seed: 1, trialsBudget: 9 });
  const config = (m: (number | undefined)[]): TrialConfig => ({
    ...configFor(plantedDataset({ rows: 20 })),
    fields: ['u', 'v'].map((name, i) => (m[i] === undefined ? { name, dim: 4, normAlpha: 0 } : { name, dim: 4, normAlpha: 0, mletFactor: m[i] })),
  });
  store.enqueueTrials(s.id, trials.map((m, number) => ({ number, config: config(m), seed: number })));
  trials.forEach((_, number) => {
    store.markRunning(s.id, number);
    store.recordResults(s.id, [{ number, status: 'completed', result, reward: 0.7 }], { step: number, state: {} });
  });
  return { store, search: store.getSearch(s.id), trials: store.listTrials(s.id, { orderBy: 'number' }) };
}

describe('exports with MLET factors', () => {
  it('JSON/YAML: mletFactor per feature when the config has one', () => {
    const { store, search, trials } = searchWith('[0, 2]', [[2, 0], [undefined, undefined]]);
    expect(exportTrial(store, search, trials[0]).features.map((f) => f.mletFactor)).toEqual([2, 0]);
    expect(exportTrial(store, search, trials[1]).features.every((f) => !('mletFactor' in f))).toBe(true);
  });

  it('CSV: mlet_<field> columns only when some trial has a factor', () => {
    const header = (csv: string) => csv.split('\n')[0].split(',');
    const { trials } = searchWith('[0, 2]', [[2, 0], [undefined, 4]]);
    const csv = trialsCsv(trials);
    expect(header(csv).slice(-2)).toEqual(['mlet_u', 'mlet_v']);
    expect(csv.split('\n')[1].split(',').slice(-2)).toEqual(['2', '0']);
    expect(csv.split('\n')[2].split(',').slice(-2)).toEqual(['0', '4']);
    expect(header(trialsCsv(searchWith('[0]', [[undefined, undefined]]).trials)).some((h) => h.startsWith('mlet_'))).toBe(false);
  });

  it('Optuna: a categorical mlet_<field> parameter when the factor is searched', () => {
    const searched = searchWith('[0, 2, 4]', [[4, 0]]);
    const params = optunaStudyRows(searched.search, searched.trials).trials[0].params;
    expect(params.map((p) => p.name)).toEqual(['dim_u', 'alpha_u', 'mlet_u', 'dim_v', 'alpha_v', 'mlet_v']);
    expect(params[2]).toMatchObject({ value: 2 });
    expect(JSON.parse(params[2].distributionJson)).toEqual({ name: 'CategoricalDistribution', attributes: { choices: [0, 2, 4] } });
    const fixed = searchWith('[4]', [[4, 4]]);
    expect(optunaStudyRows(fixed.search, fixed.trials).trials[0].params.map((p) => p.name)).toEqual(['dim_u', 'alpha_u', 'dim_v', 'alpha_v']);
  });

  it('saved model: the collapsed table, predicting what the engine predicted to 1e-5', async () => {
    await initBackend('wasm');
    const data = plantedDataset({ rows: 2000, informative: 2, noise: 1, cardinality: 15, seed: 8 });
    const config = configFor(data, { epochs: 2, tower: [8, 4] });
    config.fields = config.fields.map((f, i) => ({ ...f, dim: [3, 0, 2][i], mletFactor: [4, 2, 1][i], ...(i === 2 ? { maxNorm: 0.05 } : {}) }));
    let trained: TrainedModel | undefined;
    const { test } = data.splits;
    const r = await train(config, data, { evalRange: test, onTrained: (t) => (trained = t) });
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-mlet-'));
    try {
      const modelDir = path.join(dir, 'model');
      writeSavedModel(modelDir, {
        search: { id: 1, name: 's', spaceHash: 'h' }, trial: 0, config, fields: data.fields, weights: trained!.weights,
        metrics: { testAuc: r.validAuc, testLogloss: r.validLogloss, testRows: test.end - test.start, searchValidAuc: null },
        training: { splits: ['train'], rows: 1600, epochs: 2, backend: r.backend },
      });
      const saved = loadSavedModel(modelDir);
      expect(saved.meta.tensors.filter((t) => t.name.startsWith('embedding.')).map((t) => t.shape)).toEqual([[17, 3], [17, 2]]);
      expect(statSync(path.join(modelDir, 'weights.bin')).size).toBe(r.inferenceBytes);
      const capped = saved.tensors.get('embedding.noise0')!;
      for (let row = 0; row < 17; row++) expect(Math.hypot(capped[2 * row], capped[2 * row + 1])).toBeLessThanOrEqual(0.05 * (1 + 1e-6));
      let worst = 0;
      for (let row = test.start; row < test.end; row++) {
        const logit = predict(saved, data.ids.subarray(row * 3, row * 3 + 3));
        worst = Math.max(worst, Math.abs(logit - trained!.evalLogits[row - test.start]));
      }
      expect(worst).toBeLessThan(1e-5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
