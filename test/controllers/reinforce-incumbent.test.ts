/**
 * reinforce's local moves: every `incumbentEvery`-th proposal after the warm-up is an untried, hopeful one-step
 * neighbour of the best trial so far; the choice depends only on the observations and the RNG, so a restored
 * controller proposes the same.
 */
import { describe, expect, it } from 'vitest';
import { decisionsOf, indicesOf } from '../../src/controllers/decisions.js';
import { incumbentNeighbour } from '../../src/controllers/reinforce-incumbent.js';
import { ReinforceController } from '../../src/controllers/reinforce.js';
import { Rng } from '../../src/controllers/rng.js';
import { TOY_CHOICES, toyReward } from './toy-objective.js';

const decisions = decisionsOf(TOY_CHOICES);

describe('incumbent neighbours', () => {
  it('moves one decision of the best observation by one candidate, skipping tried and hopeless ones', () => {
    const base = decisions.map(() => 1);
    const worse = decisions.map(() => 0);
    const history = { picks: [worse, base], rewards: [0.5, 0.7] };
    const seen = new Set([worse.join(','), base.join(','), base.map((x, i) => (i === 0 ? 2 : x)).join(',')]);
    const all = new Set<string>();
    for (let s = 0; s < 200; s++) {
      const n = incumbentNeighbour(decisions, history, seen, (p) => p[1] !== 0, new Rng(s))!;
      const moved = n.map((x, i) => [i, x - base[i]] as const).filter(([, d]) => d !== 0);
      expect(moved).toHaveLength(1);
      expect(Math.abs(moved[0][1])).toBe(1);
      expect(seen.has(n.join(','))).toBe(false);
      expect(n[1]).not.toBe(0);
      all.add(n.join(','));
    }
    // 2 moves per decision, minus the one tried and the one judged hopeless.
    expect(all.size).toBe(decisions.length * 2 - 2);
    expect(incumbentNeighbour(decisions, { picks: [], rewards: [] }, seen, () => true, new Rng(1))).toBeNull();
    expect(incumbentNeighbour(decisions, history, seen, () => false, new Rng(1))).toBeNull();
  });

  it('takes every n-th proposal after the warm-up, deterministically, and restores exactly', () => {
    const run = (c: ReinforceController, batches: number) => {
      const out: number[][] = [];
      for (let b = 0; b < batches; b++) {
        const ps = c.propose(4);
        out.push(...ps.map((p) => indicesOf(decisions, p)));
        c.observe(ps.map((proposal) => ({ proposal, reward: toyReward(proposal) })));
      }
      return out;
    };
    const a = new ReinforceController(TOY_CHOICES, { seed: 3, incumbentEvery: 2, warmup: 4 });
    const picks = run(a, 6);
    const rewards: number[] = [];
    for (let i = 0; i < picks.length; i++) {
      if (i >= 4 && (i + 1) % 2 === 0) {
        // Proposals of one batch see the observations up to the batch before.
        const batchStart = i - (i % 4);
        const seenBefore = picks.slice(0, batchStart);
        const best = seenBefore.reduce((b, p, k) => (rewards[k] > rewards[b] ? k : b), 0);
        const diff = picks[i].map((x, j) => Math.abs(x - seenBefore[best][j])).reduce((s, d) => s + d, 0);
        expect(diff, `proposal ${i}`).toBe(1);
      }
      rewards.push(
        toyReward({
          fields: decisions
            .filter((d) => d.key === 'dim')
            .map((d) => ({ name: d.field, dim: d.values[picks[i][decisions.indexOf(d)]], normAlpha: 0 })),
        }),
      );
    }
    const b = new ReinforceController(TOY_CHOICES, { seed: 3, incumbentEvery: 2, warmup: 4 });
    run(b, 3);
    const c = new ReinforceController(TOY_CHOICES, { seed: 99, incumbentEvery: 2, warmup: 4 });
    c.setState(b.getState());
    expect(run(c, 3)).toEqual(picks.slice(12));
  });
});
