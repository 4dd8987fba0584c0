import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { OVER_BUDGET_REWARD, overBudget, reward } from '../../src/search/reward.js';
import { thrownUsageError } from '../usage-error.js';

const budget = { budgetBytes: 1000, lambda: 0.1 };

const usageError = (fn: () => unknown): string => thrownUsageError(fn).message;

describe('reward', () => {
  it('hinge: free under the budget, λ per budget over it', () => {
    expect(reward('hinge', { auc: 0.8, memoryBytes: 500 }, budget)).toBe(0.8);
    expect(reward('hinge', { auc: 0.8, memoryBytes: 1000 }, budget)).toBe(0.8);
    // 1500 bytes = 1.5 budgets: 0.8 − 0.1 · 0.5 = 0.75
    expect(reward('hinge', { auc: 0.8, memoryBytes: 1500 }, budget)).toBeCloseTo(0.75, 12);
    // 3000 bytes: 0.8 − 0.1 · 2 = 0.6
    expect(reward('hinge', { auc: 0.8, memoryBytes: 3000 }, budget)).toBeCloseTo(0.6, 12);
  });

  it('linear: every byte costs', () => {
    // 0.8 − 0.1 · 0.5 = 0.75 ; 0.8 − 0.1 · 2 = 0.6 ; zero bytes cost nothing
    expect(reward('linear', { auc: 0.8, memoryBytes: 500 }, budget)).toBeCloseTo(0.75, 12);
    expect(reward('linear', { auc: 0.8, memoryBytes: 2000 }, budget)).toBeCloseTo(0.6, 12);
    expect(reward('linear', { auc: 0.8, memoryBytes: 0 }, budget)).toBe(0.8);
  });

  it('budget: AUC within the budget, −1 beyond it, and only then is training skipped', () => {
    expect(reward('budget', { auc: 0.8, memoryBytes: 1000 }, budget)).toBe(0.8);
    expect(reward('budget', { auc: 0.8, memoryBytes: 1001 }, budget)).toBe(OVER_BUDGET_REWARD);
    expect(OVER_BUDGET_REWARD).toBe(-1);
    expect(overBudget('budget', 1001, 1000)).toBe(true);
    expect(overBudget('budget', 1000, 1000)).toBe(false);
    expect(overBudget('hinge', 5000, 1000)).toBe(false);
    expect(overBudget('linear', 5000, 1000)).toBe(false);
  });

  it('a non-finite AUC or memory is a bug, never a NaN reward', () => {
    for (const auc of [Number.NaN, Infinity]) {
      let caught: unknown;
      try {
        reward('hinge', { auc, memoryBytes: 10 }, budget);
      } catch (e) {
        caught = e;
      }
      expect((caught as Error).message).toMatch(/AUC/);
      expect(isUsageError(caught)).toBe(false);
    }
    expect(() => reward('linear', { auc: 0.7, memoryBytes: Number.NaN }, budget)).toThrow(/memory/);
  });

  it('bad settings are the user’s mistake, naming the key', () => {
    const small = { auc: 0.7, memoryBytes: 1 };
    expect(usageError(() => reward('hinge', small, { budgetBytes: 0, lambda: 0.1 }))).toContain('reward.budgetMB');
    expect(usageError(() => reward('hinge', small, { budgetBytes: 10, lambda: -1 }))).toContain('reward.lambda');
    expect(usageError(() => reward('square' as never, { auc: 0.7, memoryBytes: 1 }, budget))).toContain('reward.form');
    expect(usageError(() => overBudget('square' as never, 1, 10))).toContain('reward.form');
  });
});
