import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { loglossFromLogits, rocAuc } from '../../src/engine/metrics.js';

/** O(n²) definition: P(score_pos > score_neg) + ½ P(equal). */
function bruteForceAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i] > scores[j]) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

describe('rocAuc', () => {
  it('matches the pairwise definition on random data with many ties', () => {
    const rng = seedrandom('auc');
    for (let trial = 0; trial < 20; trial++) {
      const n = 50 + Math.floor(rng() * 300);
      const levels = 1 + Math.floor(rng() * 12); // few distinct scores → many ties
      const scores = Array.from({ length: n }, () => Math.floor(rng() * levels) / levels);
      const labels = scores.map((s) => (rng() < 0.3 + 0.4 * s ? 1 : 0));
      if (!labels.includes(0) || !labels.includes(1)) continue;
      expect(rocAuc(Float32Array.from(scores), Float32Array.from(labels))).toBeCloseTo(
        bruteForceAuc(scores, labels),
        12,
      );
    }
  });

  it('gives 1 for a perfect ranking, 0 for a reversed one and 0.5 when everything ties', () => {
    const labels = [0, 0, 1, 1];
    expect(rocAuc([0.1, 0.2, 0.3, 0.4], labels)).toBe(1);
    expect(rocAuc([0.4, 0.3, 0.2, 0.1], labels)).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], labels)).toBe(0.5);
  });

  it('is NaN when a class is missing', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });
});

describe('loglossFromLogits', () => {
  it('matches −mean(y·log p + (1−y)·log(1−p)) and stays finite for large logits', () => {
    const logits = [-3, -0.5, 0, 0.7, 4];
    const labels = [0, 1, 1, 0, 1];
    const naive =
      -logits.reduce((s, z, i) => {
        const p = 1 / (1 + Math.exp(-z));
        return s + labels[i] * Math.log(p) + (1 - labels[i]) * Math.log(1 - p);
      }, 0) / logits.length;
    expect(loglossFromLogits(logits, labels)).toBeCloseTo(naive, 12);
    expect(loglossFromLogits([1000, -1000], [1, 0])).toBeCloseTo(0, 12);
    expect(loglossFromLogits([1000], [0])).toBeCloseTo(1000, 9);
  });
});
