import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { type ParetoPoint, paretoFront } from '../../src/search/pareto.js';

/** O(n²) definition: keep p unless some q is at least as good on both axes and strictly better on one. */
function bruteForce(points: ParetoPoint[]): ParetoPoint[] {
  const dominates = (q: ParetoPoint, p: ParetoPoint) =>
    q.auc >= p.auc && q.memoryBytes <= p.memoryBytes && (q.auc > p.auc || q.memoryBytes < p.memoryBytes);
  return points.filter((p) => !points.some((q) => dominates(q, p)));
}

const ids = (ps: ParetoPoint[]) => ps.map((p) => p.id).sort((a, b) => Number(a) - Number(b));

describe('paretoFront', () => {
  it('matches the brute-force definition on random points, ties included', () => {
    const rng = seedrandom('pareto');
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rng() * 40);
      // Coarse grids make equal AUCs, equal memories and exact duplicates common.
      const points = Array.from({ length: n }, (_, id) => ({
        id,
        auc: Math.floor(rng() * 8) / 8,
        memoryBytes: Math.floor(rng() * 8) * 1000,
      }));
      const front = paretoFront(points);
      expect(ids(front)).toEqual(ids(bruteForce(points)));
      for (let i = 1; i < front.length; i++) {
        expect(front[i].memoryBytes).toBeGreaterThanOrEqual(front[i - 1].memoryBytes);
        expect(front[i].auc).toBeGreaterThanOrEqual(front[i - 1].auc);
      }
    }
  });

  it('hand example: keeps the staircase, sorted by memory, with the extra fields', () => {
    const points = [
      { id: 'big', auc: 0.8, memoryBytes: 9000, trial: 1 },
      { id: 'small', auc: 0.7, memoryBytes: 1000, trial: 2 },
      { id: 'worse', auc: 0.69, memoryBytes: 2000, trial: 3 },
      { id: 'mid', auc: 0.75, memoryBytes: 4000, trial: 4 },
      { id: 'same-mem-worse', auc: 0.74, memoryBytes: 4000, trial: 5 },
    ];
    expect(paretoFront(points).map((p) => p.id)).toEqual(['small', 'mid', 'big']);
    expect(paretoFront(points)[1].trial).toBe(4);
    expect(paretoFront([])).toEqual([]);
  });

  it('rejects unfinished points', () => {
    expect(() => paretoFront([{ id: 1, auc: Number.NaN, memoryBytes: 1 }])).toThrow(/finished trials/);
  });
});
