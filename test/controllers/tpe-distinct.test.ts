/**
 * The search for the best untried combination of TPE's drawn candidates (tpe-distinct.ts), on lists small enough to
 * rank every combination by hand.
 */
import { describe, expect, it } from 'vitest';
import { bestUntaken, type Candidate, rankCandidates } from '../../src/controllers/tpe-distinct.js';

const list = (...pairs: [number, number][]): Candidate[] => pairs.map(([value, score]) => ({ value, score }));
// Totals: (0,5) 3, (1,5) 2.5, (0,6) 2, (2,5) 1.5, (1,6) 1.5, (2,6) 0.5.
const LISTS = [list([0, 2], [1, 1.5], [2, 0.5]), list([5, 1], [6, 0])];
const key = (v: number[]) => v.join(',');

describe('tpe distinct candidates', () => {
  it('ranks the distinct values drawn by score, the first drawn first among equals', () => {
    const score = (x: number) => [0.1, 0.7, 0.7, -2][x];
    expect(rankCandidates([3, 2, 1, 2, 0, 1, 3], score)).toEqual([
      { value: 2, score: 0.7 },
      { value: 1, score: 0.7 },
      { value: 0, score: 0.1 },
      { value: 3, score: -2 },
    ]);
    expect(rankCandidates([4, 4, 4], () => 0)).toEqual([{ value: 4, score: 0 }]);
  });

  it('returns the best combination when it is free, and otherwise the next best in decreasing total score', () => {
    expect(bestUntaken(LISTS, () => false, 10)).toEqual([0, 5]);
    const order: string[] = [];
    const none = bestUntaken(
      LISTS,
      (v) => {
        order.push(key(v));
        return true;
      },
      100,
    );
    expect(none).toBeNull();
    // Every combination once, best first; (2,5) and (1,6) tie at 1.5 and come in the order they were reached.
    expect(order).toEqual(['0,5', '1,5', '0,6', '2,5', '1,6', '2,6']);
    const taken = new Set(['0,5', '1,5', '0,6']);
    expect(bestUntaken(LISTS, (v) => taken.has(key(v)), 100)).toEqual([2, 5]);
  });

  it('examines at most the limit, and finds the best free one among many decisions', () => {
    let examined = 0;
    const count = () => (examined++, true);
    expect(bestUntaken(LISTS, count, 4)).toBeNull();
    expect(examined).toBe(4);
    // Eight decisions of three values: the best is all zeros; with it and every single step from it taken, the best
    // free one is two steps away, where the two cheapest steps are (decision j loses (j + 1) / 100).
    const many = Array.from({ length: 8 }, (_, j) => list([0, 1], [1, 1 - (j + 1) * 0.01], [2, -5]));
    const taken = (v: number[]) => v.filter((x) => x !== 0).length < 2;
    expect(bestUntaken(many, taken, 1000)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
  });
});
