/**
 * Exports of trials with MLET factors: the mletFactor per feature (JSON/YAML), mlet_<field> columns (CSV) and
 * parameters (Optuna) only when present or searched, and saved models that hold the collapsed table and predict what
 * the engine predicted.
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/index.js';
import { trialsCsv } from '../../src/export/csv.js';
import { exportTrial } from '../../src/export/exported-trial.js';
import { optunaStudyRows } from '../../src/export/optuna/study-rows.js';
import { configFor, plantedDataset } from '../engine/fixtures.js';
import { savedModelRoundTrip, searchWith } from './technique-fixtures.js';

/** A search over fields u and v whose trials carry the given factors (undefined = no mletFactor in the config). */
const searchWithFactors = (factors: string, trials: (number | undefined)[][]) =>
  searchWith(
    `mletFactors: ${factors}`,
    trials.map((t) => t.map((m) => (m === undefined ? {} : { mletFactor: m }))),
  );

describe('exports with MLET factors', () => {
  it('JSON/YAML: mletFactor per feature when the config has one', async () => {
    const { store, search, trials } = searchWithFactors('[0, 2]', [
      [2, 0],
      [undefined, undefined],
    ]);
    expect((await exportTrial(store, search, trials[0])).features.map((f) => f.mletFactor)).toEqual([2, 0]);
    expect((await exportTrial(store, search, trials[1])).features.every((f) => !('mletFactor' in f))).toBe(true);
  });

  it('CSV: mlet_<field> columns only when some trial has a factor', async () => {
    const header = (csv: string) => csv.split('\n')[0].split(',');
    const { trials } = searchWithFactors('[0, 2]', [
      [2, 0],
      [undefined, 4],
    ]);
    const csv = trialsCsv(trials);
    expect(header(csv).slice(-2)).toEqual(['mlet_u', 'mlet_v']);
    expect(csv.split('\n')[1].split(',').slice(-2)).toEqual(['2', '0']);
    expect(csv.split('\n')[2].split(',').slice(-2)).toEqual(['0', '4']);
    expect(
      header(trialsCsv(searchWithFactors('[0]', [[undefined, undefined]]).trials)).some((h) => h.startsWith('mlet_')),
    ).toBe(false);
  });

  it('Optuna: a categorical mlet_<field> parameter when the factor is searched', async () => {
    const searched = searchWithFactors('[0, 2, 4]', [[4, 0]]);
    const params = optunaStudyRows(searched.search, searched.trials).trials[0].params;
    expect(params.map((p) => p.name)).toEqual(['dim_u', 'alpha_u', 'mlet_u', 'dim_v', 'alpha_v', 'mlet_v']);
    expect(params[2]).toMatchObject({ value: 2 });
    expect(JSON.parse(params[2].distributionJson)).toEqual({
      name: 'CategoricalDistribution',
      attributes: { choices: [0, 2, 4] },
    });
    const fixed = searchWithFactors('[4]', [[4, 4]]);
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
      mletFactor: [4, 2, 1][i],
      ...(i === 2 ? { maxNorm: 0.05 } : {}),
    }));
    await savedModelRoundTrip(config, data, ({ saved, weightsBytes, inferenceBytes, worstError }) => {
      expect(saved.meta.tensors.filter((t) => t.name.startsWith('embedding.')).map((t) => t.shape)).toEqual([
        [17, 3],
        [17, 2],
      ]);
      expect(weightsBytes).toBe(inferenceBytes);
      const capped = saved.tensors.get('embedding.noise0')!;
      for (let row = 0; row < 17; row++)
        expect(Math.hypot(capped[2 * row], capped[2 * row + 1])).toBeLessThanOrEqual(0.05 * (1 + 1e-6));
      expect(worstError).toBeLessThan(1e-5);
    });
  });
});
