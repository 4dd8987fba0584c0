/** The reinforce controller on the noiseless toy objective: what it learns, when it moves, and what it refuses. */
import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { ReinforceController } from '../../src/controllers/reinforce.js';
import { IGNORED, TARGETS, TOY_CHOICES, toyReward } from './toy-objective.js';

function train(seed: number, observations: number, batch: number): ReinforceController {
  const c = new ReinforceController(TOY_CHOICES, { seed });
  for (let n = 0; n < observations; n += batch) {
    c.observe(c.propose(batch).map((proposal) => ({ proposal, reward: toyReward(proposal) })));
  }
  return c;
}

const mostLikely = (list: { value: number; prob: number }[]) => list.reduce((a, b) => (b.prob > a.prob ? b : a));

describe('reinforce controller', () => {
  it('learns the target dims of the fields that matter within 300 observations', () => {
    let wrong = 0;
    const target: number[] = [];
    const ignored: number[] = [];
    for (const seed of [1, 2]) {
      for (const batch of [1, 2, 4]) {
        const policy = train(seed, 300, batch).policy();
        let targetProb = 0;
        let ignoredProb = 0;
        for (const f of policy) {
          if (f.field in TARGETS) {
            if (mostLikely(f.dims).value !== TARGETS[f.field]) wrong++;
            targetProb += mostLikely(f.dims).prob / 4;
          } else {
            ignoredProb += mostLikely(f.dims).prob / IGNORED.length;
          }
        }
        target.push(targetProb);
        ignored.push(ignoredProb);
      }
    }
    // Over 30 seeds × these batch sizes (defaults of reinforce-options.ts): 8 of the 360 target fields ended on a
    // wrong dim (here 1 of 24); targets' favourite 0.98 on average, never below 0.83; ignored fields' 0.49, never
    // above 0.85. Learning from the whole history commits faster than one step per observation did, which finds
    // better configurations in 40-100 trials but now and then settles on a wrong dim and lets fields the reward
    // ignores drift further (the previous controller: every target right, ignored never above 0.52).
    expect(wrong).toBeLessThanOrEqual(2);
    for (const t of target) expect(t).toBeGreaterThan(0.7);
    for (const g of ignored) expect(g).toBeLessThan(0.9);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Fields the reward ignores drift (uniform would be 1/6), but far less than the ones it rewards.
    expect(mean(ignored)).toBeLessThan(mean(target) - 0.3);
  });

  it('exposes a normalised policy per field, uniform before learning', () => {
    const c = new ReinforceController(TOY_CHOICES, { seed: 1 });
    const policy = c.policy();
    expect(policy.map((f) => f.field)).toEqual(TOY_CHOICES.fields.map((f) => f.name));
    for (const f of policy) {
      expect(f.dims.map((d) => d.value)).toEqual([0, 2, 4, 8, 16, 32]);
      expect(f.normBudgets.map((d) => d.value)).toEqual([0, 1e-4, 1e-3]);
      for (const d of f.dims) expect(d.prob).toBeCloseTo(1 / 6, 12);
    }
    const learned = train(1, 60, 2).policy();
    for (const f of learned) {
      expect(f.dims.reduce((s, d) => s + d.prob, 0)).toBeCloseTo(1, 12);
      expect(f.normBudgets.reduce((s, d) => s + d.prob, 0)).toBeCloseTo(1, 12);
    }
  });

  it('learns from the warm-up, and only once every proposal handed out is observed', () => {
    const c = new ReinforceController(TOY_CHOICES, { seed: 5, warmup: 4 });
    const warm = c.propose(4).map((proposal) => ({ proposal, reward: toyReward(proposal) }));
    c.observe(warm.slice(0, 3));
    expect(c.getState().updates).toBe(0);
    const s = c.getState();
    // Warm-up picks were uniform samples, and the history says so.
    expect(s.history.probs.every((row) => row.every((p, j) => p === 1 / s.decisions[j].values.length))).toBe(true);
    c.observe(warm.slice(3));
    expect(c.getState().updates).toBe(1);
    expect(c.getState().decisions.some((d) => d.logits.some((l) => l !== 0))).toBe(true);
  });

  it('does not move on a batch of one, or on rewards that never differ', () => {
    const c = new ReinforceController(TOY_CHOICES, { seed: 5, warmup: 0, entropyWeight: 0 });
    c.observe(c.propose(1).map((proposal) => ({ proposal, reward: 0.7 })));
    c.observe(c.propose(3).map((proposal) => ({ proposal, reward: 0.7 })));
    const s = c.getState();
    expect(s.updates).toBe(2);
    expect(s.decisions.every((d) => d.logits.every((l) => l === 0))).toBe(true);
  });

  it('rejects a non-finite reward and a proposal outside the space as bugs', () => {
    const c = new ReinforceController(TOY_CHOICES, { seed: 1 });
    const [p] = c.propose(1);
    expect(() => c.observe([{ proposal: p, reward: Number.NaN }])).toThrow(/non-finite/);
    const outside = { fields: p.fields.map((f) => ({ ...f, dim: 3 })) };
    expect(() => c.observe([{ proposal: outside, reward: 0.5 }])).toThrow(/outside the search space/);
  });

  it('reports a bad hyper-parameter as the user’s mistake, naming the key', () => {
    for (const bad of [
      { lr: 0 },
      { epochs: 1.5 },
      { clip: 0 },
      { elite: 1.5 },
      { warmup: 1.5 },
      { entropyWeight: -1 },
      { history: 0 },
    ]) {
      let caught: unknown;
      try {
        new ReinforceController(TOY_CHOICES, { seed: 1, ...bad });
      } catch (e) {
        caught = e;
      }
      expect(isUsageError(caught)).toBe(true);
      expect((caught as Error).message).toContain(`search.reinforce.${Object.keys(bad)[0]}:`);
    }
  });
});
