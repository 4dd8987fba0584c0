import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { UniformController } from '../../src/controllers/uniform.js';

const choices = {
  fields: [
    { name: 'user', dims: [32, 0, 8, 16, 4], normBudgets: [0, 1e-3] },
    { name: 'item', dims: [0, 4, 8, 16, 64], normBudgets: [1e-3, 0, 1e-2] },
    { name: 'city', dims: [8, 16, 4, 0], normBudgets: [1e-3, 0] },
  ],
};

const summary = (c: UniformController, n: number, names = ['user', 'item', 'city']) =>
  c.propose(n).map((p) => {
    expect(p.fields.map((f) => f.name)).toEqual(names);
    expect(new Set(p.fields.map((f) => `${f.dim}/${f.normAlpha}`)).size).toBe(1);
    return `${p.fields[0].dim}/${p.fields[0].normAlpha}`;
  });

describe('uniform controller', () => {
  it('sweeps the common dims ascending (dim 0 skipped), then the next common norm budget, then cycles', () => {
    const c = new UniformController(choices);
    expect(summary(c, 4)).toEqual(['4/0', '8/0', '16/0', '4/0.001']);
    expect(summary(c, 4)).toEqual(['8/0.001', '16/0.001', '4/0', '8/0']);
  });

  it('keeps dim 0 when it is the only common dim', () => {
    const c = new UniformController({
      fields: [
        { name: 'a', dims: [0, 2], normBudgets: [0] },
        { name: 'b', dims: [0, 4], normBudgets: [0] },
      ],
    });
    expect(summary(c, 2, ['a', 'b'])).toEqual(['0/0', '0/0']);
  });

  it('without a common value it is the user’s mistake', () => {
    let caught: unknown;
    try {
      new UniformController({
        fields: [
          { name: 'a', dims: [2], normBudgets: [0] },
          { name: 'b', dims: [4], normBudgets: [0] },
        ],
      });
    } catch (e) {
      caught = e;
    }
    expect(isUsageError(caught)).toBe(true);
    expect((caught as Error).message).toContain('features.dims');
  });
});
