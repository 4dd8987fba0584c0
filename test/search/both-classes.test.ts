/**
 * A search needs positive and negative rows in its train and valid splits: one class (or no rows) in either is one
 * line at load, naming the split, not a failure in every trial.
 */
import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { checkBothClasses } from '../../src/search/session-checks.js';
import { plantedDataset } from '../engine/fixtures.js';

function lineOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(isUsageError(e)).toBe(true);
    return (e as Error & { toLine(): string }).toLine();
  }
  return '';
}

describe('both classes', () => {
  it('accepts a split with both classes and refuses one class or no rows, naming the split', () => {
    const data = plantedDataset({ rows: 2000, informative: 1, noise: 1, cardinality: 10, seed: 1 });
    expect(lineOf(() => checkBothClasses(data, 'space.yaml'))).toBe('');
    const { start, end } = data.splits.valid;
    const labels = data.labels.slice();
    labels.fill(0, start, end);
    expect(lineOf(() => checkBothClasses({ ...data, labels }, 'space.yaml'))).toMatch(
      /^space\.yaml: the valid split of .* has only negative labels \(\d+ rows\); a search needs both classes.*data\.positive/,
    );
    labels.fill(1);
    expect(lineOf(() => checkBothClasses({ ...data, labels }, 'space.yaml'))).toMatch(
      /the train split .* only positive labels/,
    );
    const empty = { ...data, splits: { ...data.splits, valid: { start: end, end } } };
    expect(lineOf(() => checkBothClasses(empty, 'space.yaml'))).toMatch(/the valid split .* has no rows/);
  });
});
