/**
 * Exports of trials with Res-embedding: resClusters / resAlpha per feature (JSON/YAML), res_<field> columns (CSV) and
 * parameters (Optuna) only when present or searched, and saved models that hold the collapsed table C[cluster] + R
 * and predict what the engine predicted.
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/index.js';
import { trialsCsv } from '../../src/export/csv.js';
import { exportTrial } from '../../src/export/exported-trial.js';
import { optunaStudyRows } from '../../src/export/optuna/study-rows.js';
import { configFor, plantedDataset } from '../engine/fixtures.js';
import { savedModelRoundTrip, searchWith } from './technique-fixtures.js';

describe('exports with Res-embedding', () => {
  it('JSON/YAML: resClusters and resAlpha per feature when the config has them', async () => {
    const { store, search, trials } = searchWith('resClusters: [0, 16]', [
      [{ resClusters: 16, resAlpha: 1e-4 }, { resClusters: 0 }],
      [{}, {}],
    ]);
    const features = (await exportTrial(store, search, trials[0])).features;
    expect(features.map((f) => [f.resClusters, f.resAlpha])).toEqual([
      [16, 1e-4],
      [0, undefined],
    ]);
    expect('resAlpha' in features[1]).toBe(false);
    expect(
      (await exportTrial(store, search, trials[1])).features.every((f) => !('resClusters' in f) && !('resAlpha' in f)),
    ).toBe(true);
  });

  it('CSV: res_<field> and res_alpha_<field> columns only when some trial uses Res-embedding', async () => {
    const header = (csv: string) => csv.split('\n')[0].split(',');
    const csv = trialsCsv(
      searchWith('resClusters: [0, 16]', [
        [{ resClusters: 16, resAlpha: 1e-4 }, { resClusters: 0 }],
        [{}, {}],
      ]).trials,
    );
    expect(header(csv).slice(-4)).toEqual(['res_u', 'res_v', 'res_alpha_u', 'res_alpha_v']);
    expect(csv.split('\n')[1].split(',').slice(-4)).toEqual(['16', '0', '0.0001', '']);
    expect(csv.split('\n')[2].split(',').slice(-4)).toEqual(['0', '0', '', '']);
    expect(header(trialsCsv(searchWith('resClusters: [0]', [[{}, {}]]).trials)).some((h) => h.startsWith('res_'))).toBe(
      false,
    );
  });

  it('Optuna: categorical res_<field> / res_alpha_<field> parameters when searched', async () => {
    const searched = searchWith('resClusters: [0, 16, 64], resNormBudgets: [0.0001, 0.001]', [
      [
        { resClusters: 64, resAlpha: 1e-3 },
        { resClusters: 0, resAlpha: 1e-4 },
      ],
    ]);
    const params = optunaStudyRows(searched.search, searched.trials).trials[0].params;
    expect(params.map((p) => p.name)).toEqual([
      'dim_u',
      'alpha_u',
      'res_u',
      'res_alpha_u',
      'dim_v',
      'alpha_v',
      'res_v',
      'res_alpha_v',
    ]);
    expect(params.map((p) => p.value)).toEqual([1, 0, 2, 1, 1, 0, 0, 0]);
    expect(JSON.parse(params[2].distributionJson)).toEqual({
      name: 'CategoricalDistribution',
      attributes: { choices: [0, 16, 64] },
    });
    const fixed = searchWith('resClusters: [16]', [[{ resClusters: 16, resAlpha: 1e-4 }, {}]]);
    expect(optunaStudyRows(fixed.search, fixed.trials).trials[0].params.map((p) => p.name)).toEqual([
      'dim_u',
      'alpha_u',
      'dim_v',
      'alpha_v',
    ]);
  });

  it('saved model: the collapsed table, predicting what the engine predicted to 1e-5', async () => {
    await initBackend('wasm');
    const data = plantedDataset({ rows: 2000, informative: 2, noise: 1, cardinality: 15, seed: 8 });
    const config = configFor(data, { epochs: 2, tower: [8, 4] });
    config.fields = config.fields.map((f, i) => ({
      ...f,
      dim: [3, 0, 2][i],
      resClusters: [4, 2, 3][i],
      resAlpha: 1e-3,
      ...(i === 2 ? { maxNorm: 0.05 } : {}),
    }));
    await savedModelRoundTrip(config, data, ({ saved, weightsBytes, inferenceBytes, worstError }) => {
      expect(saved.meta.tensors.filter((t) => t.name.startsWith('embedding.')).map((t) => t.shape)).toEqual([
        [17, 3],
        [17, 2],
      ]);
      expect(weightsBytes).toBe(inferenceBytes);
      expect(worstError).toBeLessThan(1e-5);
    });
  });
});
