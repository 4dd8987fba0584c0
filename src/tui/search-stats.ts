/**
 * Numbers derived from a SearchView (ETA, leaderboard, best-so-far curve). Pure functions, shared by the ink
 * screen and the plain reporter.
 */
import type { FinishedTrialView, OneShotView, SearchView } from '../search/search-view.js';

/** A completed trial with every number the tables and plots need. */
export type ScoredTrial = FinishedTrialView & { validAuc: number; memoryBytes: number; reward: number };

export function isScored(trial: FinishedTrialView): trial is ScoredTrial {
  return (
    trial.status === 'completed' &&
    Number.isFinite(trial.validAuc) &&
    Number.isFinite(trial.memoryBytes) &&
    Number.isFinite(trial.reward)
  );
}

/**
 * The memory term a trial paid: reward = AUC − penalty (every reward form; a trial over the `budget` form's hard
 * budget is never trained and never scored). Rounding can leave −1e-17 where the penalty is 0.
 */
export function penaltyOf(t: ScoredTrial): number {
  return Math.max(0, t.validAuc - t.reward);
}

/** Completed trials by reward, best first; ties go to the earlier trial number. */
export function leaderboard(finished: readonly FinishedTrialView[], size = 10): ScoredTrial[] {
  return finished
    .filter(isScored)
    .sort((a, b) => b.reward - a.reward || a.number - b.number)
    .slice(0, size);
}

/** Running maximum of the completed trials' rewards, in completion order (one point per completed trial). */
export function bestRewardCurve(finished: readonly FinishedTrialView[]): number[] {
  const curve: number[] = [];
  let best = -Infinity;
  for (const trial of finished) {
    if (!isScored(trial)) continue;
    best = Math.max(best, trial.reward);
    curve.push(best);
  }
  return curve;
}

/**
 * Milliseconds until the remaining trials are done: mean wall time of the finished trials, spread over the
 * workers currently running (at least one). Undefined until a finished trial reports its wall time.
 */
export function estimateRemainingMs(view: SearchView): number | undefined {
  const remaining = Math.max(0, view.trialsTotal - view.trialsDone);
  if (remaining === 0) return 0;
  const walls = view.finished
    .map((t) => t.wallSeconds)
    .filter((s): s is number => s !== undefined && Number.isFinite(s) && s >= 0);
  if (walls.length === 0) return undefined;
  const meanSeconds = walls.reduce((sum, s) => sum + s, 0) / walls.length;
  const parallel = Math.max(1, view.running.length);
  return (remaining * meanSeconds * 1000) / parallel;
}

/**
 * The ETA as the clock moves: the estimate made when the last trial finished, less the time since then (at least 0),
 * so the header counts down between trials instead of standing still.
 */
export function liveRemainingMs(view: SearchView): number | undefined {
  const estimate = estimateRemainingMs(view);
  if (estimate === undefined) return undefined;
  const since = view.lastFinishedElapsedMs === undefined ? 0 : Math.max(0, view.elapsedMs - view.lastFinishedElapsedMs);
  return Math.max(0, estimate - since);
}

/**
 * Milliseconds until the supernet phase has taken all its steps, at the rate of the steps this process took (a
 * resumed phase's earlier steps took no time here). Undefined until this process has taken a step.
 */
export function supernetRemainingMs(o: OneShotView): number | undefined {
  const taken = o.step - o.resumedAtStep;
  if (!(taken > 0) || !(o.phaseElapsedMs > 0)) return undefined;
  return (Math.max(0, o.totalSteps - o.step) * o.phaseElapsedMs) / taken;
}

/**
 * Fraction of a running trial's batches done. `epoch` counts from 1 (the epoch in progress) and `batch` is the
 * number of batches finished in it, so epoch 2/2 batch 50/100 is 75 %.
 */
export function trialProgress(t: { epoch: number; epochs: number; batch: number; batches: number }): number {
  const total = t.epochs * t.batches;
  if (!(total > 0)) return 0;
  const done = (Math.max(1, t.epoch) - 1) * t.batches + t.batch;
  return Math.min(1, Math.max(0, done / total));
}

/** Finished trials are append-only, so the same length and last trial means the same list. */
export function sameFinished(a: readonly FinishedTrialView[], b: readonly FinishedTrialView[]): boolean {
  return a === b || (a.length === b.length && a.at(-1)?.number === b.at(-1)?.number);
}
