/** The learning step on small hand-computed cases: rank advantages, the clipped gradient, and the clip's bound. */
import { describe, expect, it } from 'vitest';
import { softmax } from '../../src/controllers/categorical.js';
import { clippedGradient, rankAdvantages, update } from '../../src/controllers/reinforce-update.js';

describe('rank advantages', () => {
  it('gives the elite log-rank weights, centred and scaled to unit spread', () => {
    // 4 trials, elite 0.5 → the best two: ln 2.5 − ln 1 and ln 2.5 − ln 2; the others 0.
    const a = rankAdvantages([0.3, 0.1, 0.2, 0.0], 0.5);
    const w = [Math.log(2.5), 0, Math.log(2.5) - Math.log(2), 0];
    const mean = w.reduce((s, x) => s + x, 0) / 4;
    const sd = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / 4);
    a.forEach((x, i) => expect(x).toBeCloseTo((w[i] - mean) / sd, 12));
    expect(a[1]).toBe(a[3]);
  });

  it('is blind to the reward scale, shares ties, and says nothing about equal rewards', () => {
    expect(rankAdvantages([1, -1, 0.5], 0.5)).toEqual(rankAdvantages([0.7001, 0.7, 0.70005], 0.5));
    const tied = rankAdvantages([0.5, 0.5, 0.1], 0.34);
    expect(tied[0]).toBe(tied[1]);
    expect(tied[0]).toBeGreaterThan(tied[2]);
    expect(rankAdvantages([0.7, 0.7, 0.7], 0.5)).toEqual([0, 0, 0]);
    expect(rankAdvantages([0.7], 0.5)).toEqual([0]);
  });
});

describe('clipped policy gradient', () => {
  it('matches the hand-computed score function inside the clip and vanishes outside it', () => {
    // π = (½, ½), pick 0 proposed at ½, A = 1: ratio 1, gradient ρ·A·(1[k = 0] − π_k) = (½, −½).
    expect(clippedGradient([0.5, 0.5], [0], [0.5], [1], 0.2, 0)).toEqual([0.5, -0.5]);
    // Proposed at 0.4: ratio 1.25 > 1.2 with a positive advantage → clipped, no gradient.
    expect(clippedGradient([0.5, 0.5], [0], [0.4], [1], 0.2, 0)).toEqual([0, 0]);
    // A negative advantage is not clipped on that side: ρ = 1.25 → (−0.625, 0.625).
    expect(clippedGradient([0.5, 0.5], [0], [0.4], [-1], 0.2, 0)).toEqual([-0.625, 0.625]);
  });

  it('the entropy bonus pushes towards uniform', () => {
    const g = clippedGradient([0.7, 0.2, 0.1], [], [], [], 0.2, 1);
    expect(g[0]).toBeLessThan(0);
    expect(g[2]).toBeGreaterThan(0);
  });
});

describe('update over the history', () => {
  const history = {
    picks: [[0], [1], [2], [3]],
    probs: [[0.2], [0.2], [0.2], [0.2]],
    rewards: [0.9, 0.5, 0.5, 0.4],
  };

  it('stops where the clip says: two candidates, one winner, one loser', () => {
    // π(0) may rise to 1.3 × ½ (the winner's bound) and π(1) fall to 0.7 × ½ (the loser's): both say π(0) = 0.65.
    const logits = [[0, 0]];
    const two = { picks: [[0], [1]], probs: [[0.5], [0.5]], rewards: [0.8, 0.7] };
    update(logits, two, { lr: 0.05, epochs: 2000, clip: 0.3, elite: 0.5, entropyWeight: 0 });
    expect(softmax(logits[0])[0]).toBeCloseTo(0.65, 2);
  });

  it('raises the winner and lowers each loser to no less than (1 − ε) of its proposal probability', () => {
    const logits = [[0, 0, 0, 0, 0]];
    update(logits, history, { lr: 0.05, epochs: 2000, clip: 0.3, elite: 0.25, entropyWeight: 0 });
    const p = softmax(logits[0]);
    expect(p[0]).toBeGreaterThan(0.26);
    // Each loser's own term stops at ratio 0.7 (steps of 0.05 overshoot by under 1 %). The winner ends above its
    // own bound of 1.3 × 0.2: the losers' terms still raise every other candidate, as PPO's per-term clip allows.
    for (const k of [1, 2, 3]) {
      expect(p[k] / 0.2).toBeGreaterThan(0.7 * 0.99);
      expect(p[k] / 0.2).toBeLessThan(0.7 * 1.01);
    }
  });

  it('a wider clip lets the winner move further in one update', () => {
    const narrow = [[0, 0, 0, 0, 0]];
    const wide = [[0, 0, 0, 0, 0]];
    update(narrow, history, { lr: 0.05, epochs: 2000, clip: 0.3, elite: 0.25, entropyWeight: 0 });
    update(wide, history, { lr: 0.05, epochs: 2000, clip: 1, elite: 0.25, entropyWeight: 0 });
    expect(softmax(wide[0])[0]).toBeGreaterThan(softmax(narrow[0])[0] + 0.1);
  });
});
