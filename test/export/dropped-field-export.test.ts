/**
 * A dropped field (dim 0) trains nothing: no export gives it a norm budget, a technique or a block setting — JSON/YAML
 * keep only its name, table size and dim 0, CSV leaves its cells empty, Optuna keeps only its dim_<field> parameter.
 */
import { describe, expect, it } from 'vitest';
import { trialsCsv } from '../../src/export/csv.js';
import { exportTrial } from '../../src/export/exported-trial.js';
import { optunaStudyRows } from '../../src/export/optuna/study-rows.js';
import { searchWith } from './technique-fixtures.js';

/** Every technique searched; u may be dropped. Trial 0 drops u (with leftover settings), trial 1 keeps both. */
const SPACE =
  'normBudgets: [0, 1.0e-4], mletFactors: [0, 2], resClusters: [0, 8], resNormBudgets: [1.0e-4, 1.0e-3], ' +
  'vocabKeep: [0.5, 1], blocks: [0.5, 0.5], blockDims: [1, 2], fields: { u: { dims: [0, 4] } }';
const SETTINGS = {
  normAlpha: 1e-4,
  mletFactor: 2,
  resClusters: 8,
  resAlpha: 1e-3,
  keep: 0.5,
  blocks: { fractions: [0.5, 0.5], dims: [4, 2] },
};
const drops = () =>
  searchWith(SPACE, [
    [{ ...SETTINGS, dim: 0 }, SETTINGS],
    [SETTINGS, SETTINGS],
  ]);

describe('exports of a dropped field', () => {
  it('JSON/YAML: name, rows, kept and dim 0 only', async () => {
    const { store, search, trials } = drops();
    const [u, v] = (await exportTrial(store, search, trials[0])).features;
    expect(Object.keys(u).sort()).toEqual(['dim', 'kept', 'name', 'rows']);
    expect(u.dim).toBe(0);
    expect(v).toMatchObject({
      dim: 4,
      normAlpha: 1e-4,
      mletFactor: 2,
      resClusters: 8,
      resAlpha: 1e-3,
      keep: 0.5,
      blocks: SETTINGS.blocks,
    });
    expect((await exportTrial(store, search, trials[1])).features[0]).toMatchObject({
      dim: 4,
      normAlpha: 1e-4,
      mletFactor: 2,
    });
  });

  it('CSV: empty alpha, technique and block cells', async () => {
    const lines = trialsCsv(drops().trials)
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const cell = (row: number, column: string) => lines[row][lines[0].indexOf(column)];
    for (const column of ['alpha', 'mlet', 'res', 'res_alpha', 'keep', 'blocks']) {
      expect(cell(1, `${column}_u`), column).toBe('');
      expect(cell(1, `${column}_v`), column).not.toBe('');
      expect(cell(2, `${column}_u`), column).not.toBe('');
    }
    expect(cell(1, 'dim_u')).toBe('0');
    expect(cell(1, 'blocks_v')).toBe('4/2');
  });

  it('Optuna: only dim_<field>', async () => {
    const { search, trials } = drops();
    const [dropped, kept] = optunaStudyRows(search, trials).trials.map((t) => t.params.map((p) => p.name));
    expect(dropped.filter((n) => n.endsWith('_u'))).toEqual(['dim_u']);
    expect(kept.filter((n) => n.endsWith('_u'))).toEqual([
      'dim_u',
      'alpha_u',
      'mlet_u',
      'res_u',
      'res_alpha_u',
      'keep_u',
      'block1_u',
    ]);
    expect(dropped.filter((n) => n.endsWith('_v'))).toEqual(kept.filter((n) => n.endsWith('_v')));
  });
});
