/**
 * The planted truth in the space's terms (planted-dims.ts): the smallest candidate at or above each field's planted
 * rank, the smallest candidate for noise, the largest when the rank is above every candidate; hidden fields left out.
 */
import { describe, expect, it } from 'vitest';
import type { SyntheticTruth } from '../../src/data/synthetic-truth.js';
import { plantedDims } from '../../src/search/planted-dims.js';

const field = (name: string, trueDim: number, observed = true) =>
  ({ name, kind: trueDim === 0 ? 'noise' : 'informative', trueDim, vocab: 10, observed }) as const;

const truth: SyntheticTruth = {
  fields: [
    field('user', 2),
    field('category', 1),
    field('wide', 20),
    field('mid', 3),
    field('noise', 0),
    field('hidden', 2, false),
  ],
  interactions: [],
  seed: 1,
  rows: 100,
  positiveRate: 0.5,
  bayesValidAuc: null,
};

describe('planted dims', () => {
  it('are candidates of the space: at or above the planted rank, the smallest for noise', () => {
    const dims = [16, 0, 2, 4, 8];
    const fields = ['user', 'category', 'wide', 'mid', 'noise'].map((name) => ({ name, dims, normBudgets: [0] }));
    fields[4] = { name: 'noise', dims: [4, 2], normBudgets: [0] };
    expect(plantedDims(truth, fields)).toEqual([
      { name: 'user', dim: 2 },
      { name: 'category', dim: 2 },
      { name: 'wide', dim: 16 },
      { name: 'mid', dim: 4 },
      { name: 'noise', dim: 2 },
    ]);
  });
});
