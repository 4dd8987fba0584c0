import { describe, expect, it } from 'vitest';
import { RandomController } from '../../src/controllers/random.js';
import { DIMS, TOY_CHOICES } from './toy-objective.js';

describe('random controller', () => {
  it('covers every candidate of every field about uniformly', () => {
    const n = 3000;
    const proposals = new RandomController(TOY_CHOICES, { seed: 8 }).propose(n);
    // Checked once, outside the loops: thousands of expect() calls would dominate the test's time.
    const names = TOY_CHOICES.fields.map((f) => f.name).join();
    expect(proposals.filter((p) => p.fields.map((f) => f.name).join() !== names)).toEqual([]);
    for (const [i, field] of TOY_CHOICES.fields.entries()) {
      const dimCounts = new Map<number, number>();
      const budgetCounts = new Map<number, number>();
      for (const p of proposals) {
        const f = p.fields[i];
        dimCounts.set(f.dim, (dimCounts.get(f.dim) ?? 0) + 1);
        budgetCounts.set(f.normAlpha, (budgetCounts.get(f.normAlpha) ?? 0) + 1);
      }
      expect([...dimCounts.keys()].sort((a, b) => a - b)).toEqual(DIMS);
      expect([...budgetCounts.keys()].sort((a, b) => a - b)).toEqual(field.normBudgets);
      // Expected 500 per dim, 1000 per budget; sd ≈ 20 and 26: six sigma either way.
      for (const c of dimCounts.values()) expect(Math.abs(c - n / 6)).toBeLessThan(125);
      for (const c of budgetCounts.values()) expect(Math.abs(c - n / 3)).toBeLessThan(160);
    }
  });

  it('fields are drawn independently (no two fields always agree)', () => {
    const proposals = new RandomController(TOY_CHOICES, { seed: 8 }).propose(200);
    const agree = proposals.filter((p) => p.fields[0].dim === p.fields[1].dim).length;
    // Independent: ~1/6 agree.
    expect(agree).toBeGreaterThan(10);
    expect(agree).toBeLessThan(70);
  });

  it('ignores rewards', () => {
    const a = new RandomController(TOY_CHOICES, { seed: 4 });
    const b = new RandomController(TOY_CHOICES, { seed: 4 });
    const [p] = a.propose(1);
    b.propose(1);
    a.observe([{ proposal: p, reward: 1 }]);
    expect(a.propose(5)).toEqual(b.propose(5));
  });
});
