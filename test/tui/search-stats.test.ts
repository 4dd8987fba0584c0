import { describe, expect, it } from 'vitest';
import { paretoFront } from '../../src/tui/pareto.js';
import {
  bestRewardCurve,
  estimateRemainingMs,
  leaderboard,
  liveRemainingMs,
  trialProgress,
} from '../../src/tui/search-stats.js';
import { finishedTrial, midSearchView } from './fixtures.js';

describe('search stats', () => {
  it('ranks completed trials by reward, earlier trial first on ties, failed ones out', () => {
    const view = midSearchView();
    view.finished.push(finishedTrial(9, 0.8, 0.5, 0.75));
    expect(leaderboard(view.finished).map((t) => t.number)).toEqual([3, 2, 9, 1]);
    expect(leaderboard(view.finished, 2).map((t) => t.number)).toEqual([3, 2]);
  });

  it('keeps the running best over completed trials', () => {
    const finished = [finishedTrial(1, 0.7, 1, 0.5), finishedTrial(2, 0.7, 1, 0.4), finishedTrial(3, 0.7, 1, 0.6)];
    expect(bestRewardCurve(finished)).toEqual([0.5, 0.5, 0.6]);
  });

  it('estimates the remaining time from mean wall time and running workers', () => {
    // 96 trials left, mean 25 s (30, 30, 30, 10), 2 workers → 1200 s.
    expect(estimateRemainingMs(midSearchView())).toBe(1_200_000);
    expect(estimateRemainingMs(midSearchView({ running: [] }))).toBe(2_400_000);
    expect(estimateRemainingMs(midSearchView({ finished: [] }))).toBeUndefined();
    expect(estimateRemainingMs(midSearchView({ trialsDone: 100 }))).toBe(0);
  });

  it('counts the ETA down between trials, from the estimate made when the last one finished, to 0 at most', () => {
    const at = (elapsedMs: number) => liveRemainingMs(midSearchView({ lastFinishedElapsedMs: 3_700_000, elapsedMs }));
    expect(at(3_700_000)).toBe(1_200_000);
    expect(at(3_760_000)).toBe(1_140_000);
    expect(at(3_700_000 + 2_000_000)).toBe(0);
    expect(liveRemainingMs(midSearchView({ finished: [] }))).toBeUndefined();
  });

  it('measures training progress over epochs × batches', () => {
    expect(trialProgress({ epoch: 2, epochs: 2, batch: 50, batches: 100 })).toBe(0.75);
    expect(trialProgress({ epoch: 1, epochs: 4, batch: 0, batches: 10 })).toBe(0);
    expect(trialProgress({ epoch: 1, epochs: 1, batch: 0, batches: 0 })).toBe(0);
  });

  it('keeps only non-dominated AUC × memory points', () => {
    const points = [
      { id: 'a', validAuc: 0.7, memoryBytes: 100 },
      { id: 'b', validAuc: 0.75, memoryBytes: 300 },
      { id: 'c', validAuc: 0.72, memoryBytes: 400 }, // dominated by b
      { id: 'd', validAuc: 0.8, memoryBytes: 500 },
      { id: 'e', validAuc: 0.7, memoryBytes: 200 }, // dominated by a (same AUC, larger)
      { id: 'f', validAuc: 0.8, memoryBytes: 500 }, // duplicate of d: neither dominates the other
    ];
    expect(paretoFront(points).map((p) => p.id)).toEqual(['a', 'b', 'd', 'f']);
    expect(paretoFront([])).toEqual([]);
  });
});
