import { describe, expect, it } from 'vitest';
import { parseSpace } from '../../src/space/load-space.js';
import { errorLine, minimal } from './space-fixtures.js';

describe('features.resClusters and features.resNormBudgets', () => {
  it('default to [0] (off, not searched) and [1e-4], and take per-field overrides', () => {
    const { features } = parseSpace(minimal, 'space.yaml').space;
    expect(features.resClusters).toEqual([0]);
    expect(features.resNormBudgets).toEqual([1e-4]);
    const { space } = parseSpace(
      `${minimal}features:\n  resClusters: [0, 16]\n  resNormBudgets: [0, 1.0e-3]\n  fields:\n    item: { resClusters: [64], resNormBudgets: [1.0e-2] }\n`,
      'space.yaml',
    );
    expect(space.features.resClusters).toEqual([0, 16]);
    expect(space.features.resNormBudgets).toEqual([0, 1e-3]);
    expect(space.features.fields.item).toEqual({ resClusters: [64], resNormBudgets: [1e-2] });
  });

  it('accepts whole cluster counts ≥ 0 and α ≥ 0 only, naming the line and the key path', () => {
    expect(errorLine(`${minimal}features:\n  resClusters: [0, 2.5]\n`)).toMatch(
      /^space\.yaml:6: features\.resClusters\[1\]:/,
    );
    expect(errorLine(`${minimal}features:\n  fields:\n    user: { resNormBudgets: [-1] }\n`)).toMatch(
      /features\.fields\.user\.resNormBudgets\[0\]/,
    );
    expect(errorLine(`${minimal}features:\n  resClusters: []\n`)).toMatch(/features\.resClusters/);
    expect(errorLine(`${minimal}features:\n  resCluster: [2]\n`)).toMatch(/unknown key "resCluster"/);
  });
});
