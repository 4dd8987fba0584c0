/** TPE's density maths against small cases worked out by hand (the arithmetic is in the comments). */
import { describe, expect, it } from 'vitest';
import {
  categoricalDensity,
  defaultWeights,
  densities,
  gamma,
  kernelRows,
  mixtureWeights,
  splitByReward,
} from '../../src/controllers/tpe-parzen.js';

const close = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], 12));
};

describe('tpe split and weights', () => {
  it('γ(n) = min(⌈0.1·n⌉, 25)', () => {
    expect([0, 1, 10, 11, 20, 21, 249, 250, 251, 1000].map(gamma)).toEqual([0, 1, 1, 2, 2, 3, 25, 25, 25, 25]);
  });

  it('weights are ones below 25 observations, then a ramp from 1/n over the oldest n − 25', () => {
    expect(defaultWeights(0)).toEqual([]);
    expect(defaultWeights(24)).toEqual(new Array(24).fill(1));
    expect(defaultWeights(25)).toEqual(new Array(25).fill(1));
    // n = 26: a ramp of one, which is its start 1/26.
    close(defaultWeights(26), [1 / 26, ...new Array(25).fill(1)]);
    // n = 28: linspace(1/28, 1, 3) = [1/28, (1/28 + 1)/2 = 29/56, 1].
    close(defaultWeights(28), [1 / 28, 29 / 56, 1, ...new Array(25).fill(1)]);
  });

  it('the good group is the highest rewards, earlier trials first among equals, both groups in trial order', () => {
    expect(splitByReward([0.3, 0.9, 0.5, 0.9], 1)).toEqual({ below: [1], above: [0, 2, 3] });
    expect(splitByReward([0.3, 0.9, 0.5, 0.9], 2)).toEqual({ below: [1, 3], above: [0, 2] });
    expect(splitByReward([-1, 0.7, -1, 0.6, 0.8], 3)).toEqual({ below: [1, 3, 4], above: [0, 2] });
  });
});

describe('tpe categorical Parzen estimator', () => {
  // Observed choices [0, 0, 2] over 3 choices, prior weight 1: every cell starts at 1/(3 + 1) = 1/4.
  // A row for choice 0 is [5/4, 1/4, 1/4] / (7/4) = [5/7, 1/7, 1/7]; the prior row is [1/4, 1/4, 1/4] / (3/4) = 1/3 each.
  it('builds one smoothed kernel per observation and a uniform prior kernel', () => {
    const rows = kernelRows([0, 0, 2], 3, 1);
    close(rows[0], [5 / 7, 1 / 7, 1 / 7]);
    close(rows[1], [5 / 7, 1 / 7, 1 / 7]);
    close(rows[2], [1 / 7, 1 / 7, 5 / 7]);
    close(rows[3], [1 / 3, 1 / 3, 1 / 3]);
    close(mixtureWeights([1, 1, 1], 1), [1 / 4, 1 / 4, 1 / 4, 1 / 4]);
    close(mixtureWeights([0.5, 1], 2), [1 / 7, 2 / 7, 4 / 7]);
  });

  it('mixes the kernels with the observation weights and the prior weight', () => {
    // l(0) = (5/7 + 5/7 + 1/7 + 1/3)/4 = 10/21;  l(1) = (3/7 + 1/3)/4 = 4/21;  l(2) = (1/7 + 1/7 + 5/7 + 1/3)/4 = 7/21.
    close(categoricalDensity([0, 0, 2], 3, 1), [10 / 21, 4 / 21, 7 / 21]);
    // One observation of choice 1: cells 1/2, row [1/2, 3/2, 1/2]/(5/2) = [1/5, 3/5, 1/5]; mixed half-half with 1/3 each.
    close(categoricalDensity([1], 3, 1), [4 / 15, 7 / 15, 4 / 15]);
    // No observation: the prior alone.
    close(categoricalDensity([], 4, 1), [1 / 4, 1 / 4, 1 / 4, 1 / 4]);
    // Prior weight 2 with [1]: cells 2/2 = 1, row [1, 2, 1]/4; weights [1/3, 2/3] → [(1/4)/3 + 2/9, (1/2)/3 + 2/9, …].
    close(categoricalDensity([1], 3, 2), [1 / 12 + 2 / 9, 1 / 6 + 2 / 9, 1 / 12 + 2 / 9]);
  });

  it('weights the oldest observations down once a group holds more than 25', () => {
    // 26 observations over 2 choices: the oldest picks 1, the 25 newer pick 0. Cells 1/27: rows [28/29, 1/29] for a
    // 0 and [1/29, 28/29] for the 1; weights [1/26, 1 × 25, prior 1] sum to 26 + 1/26.
    const observed = [1, ...new Array(25).fill(0)];
    const total = 26 + 1 / 26;
    const p1 = ((1 / 26) * (28 / 29) + 25 * (1 / 29) + 1 / 2) / total;
    close(categoricalDensity(observed, 2, 1), [1 - p1, p1]);
  });

  it('splits the history once by reward and gives each decision its l and g', () => {
    // Decision 0 (3 choices) picks [0, 1, 0, 1]; γ(4) = 1, so trial 1 (reward 0.9, earlier than trial 3's 0.9) is good.
    // l = density of [1] = [4/15, 7/15, 4/15]; g = density of [0, 0, 1] = [10/21, 7/21, 4/21] (as [0, 0, 2] above,
    // with choices 1 and 2 swapped). Decision 1 (2 choices) picks [1, 0, 0, 0]: l = density of [0], g of [1, 0, 0].
    const history = [
      { picks: [0, 1], reward: 0.3 },
      { picks: [1, 0], reward: 0.9 },
      { picks: [0, 0], reward: 0.5 },
      { picks: [1, 0], reward: 0.9 },
    ];
    const [d0, d1] = densities(history, [3, 2], 1);
    close(d0.l, [4 / 15, 7 / 15, 4 / 15]);
    close(d0.g, [10 / 21, 7 / 21, 4 / 21]);
    // [0] over 2 choices: row [3/2, 1/2]/2 = [3/4, 1/4], mixed half-half with 1/2 → [5/8, 3/8].
    close(d1.l, [5 / 8, 3 / 8]);
    // [1, 0, 0]: cells 1/4, a row sums to 3/2: [1/6, 5/6], [5/6, 1/6] ×2, prior 1/2; weights 1/4 each, so
    // g(1) = (5/6 + 1/6 + 1/6 + 1/2)/4 = 5/12.
    close(d1.g, [7 / 12, 5 / 12]);
  });

  it('counts pending proposals in g alone, as the worst and newest observations (the constant liar)', () => {
    // One decision over dims [0, 2, 4]: picks [0, 2, 4, 2] with rewards [0.3, 0.9, 0.5, 0.8]; γ(4) = 1 keeps the good
    // group at trial 1 whatever is pending, so l = density of [2] = [4/15, 7/15, 4/15] throughout.
    const history = [0, 2, 4, 2].map((x, i) => ({ picks: [[0, 2, 4].indexOf(x)], reward: [0.3, 0.9, 0.5, 0.8][i] }));
    const [none] = densities(history, [3], 1);
    close(none.g, [1 / 3, 1 / 3, 1 / 3]);
    // Two pending at index 1: g is the density of [0, 2, 1, 1, 1]. Cells 1/6, a row sums to 3/2: 7/9 on its own
    // choice, 1/9 elsewhere; with the prior's 1/3 and weights 1/6 each, g(1) = (3·7/9 + 2/9 + 1/3)/6 = 13/27 and
    // g(0) = g(2) = (7/9 + 4/9 + 1/3)/6 = 7/27. So l/g falls to (7/15)/(13/27) ≈ 0.97 for the middle choice and rises
    // to (4/15)/(7/27) ≈ 1.03 for the others: a third proposal of the batch leaves it.
    const [two] = densities(history, [3], 1, [[1], [1]]);
    close(two.l, none.l);
    close(two.g, [7 / 27, 13 / 27, 7 / 27]);
    close(two.g, categoricalDensity([0, 2, 1, 1, 1], 3, 1));
  });
});
