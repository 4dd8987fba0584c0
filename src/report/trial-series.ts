/**
 * The report's series, computed from a search's trials alone: reward and best-so-far over trial number, the
 * AUC × memory points with their Pareto front, each field's chosen dim over trials, and the per-epoch validation AUC
 * of the best trials. Pure functions of TrialRecords, so they are tested without a browser or a store.
 */
import { paretoFront } from '../search/pareto.js';
import { memoryPenalty, OVER_BUDGET_REWARD, type RewardForm, type RewardSettings } from '../search/reward.js';
import type { TrialRecord } from '../store/trial-store.js';

/** One finished trial as the report plots it; metrics are null for a failed trial. */
export interface TrialPoint {
  number: number;
  status: 'completed' | 'failed';
  auc: number | null;
  memoryBytes: number | null;
  /** The memory term of the reward (reward = AUC − penalty); null where it is not a number (over a hard budget). */
  penalty: number | null;
  reward: number | null;
  /** Over the `budget` form's hard budget: never trained, reward −1. */
  overBudget: boolean;
  cacheHit: boolean;
  dims: number[];
}

/** Completed and failed trials in trial-number order. */
export function trialPoints(trials: readonly TrialRecord[], form: RewardForm, settings: RewardSettings): TrialPoint[] {
  return trials
    .filter((t) => t.status === 'completed' || t.status === 'failed')
    .sort((a, b) => a.number - b.number)
    .map((t) => {
      const memoryBytes = t.result?.inferenceBytes ?? null;
      const penalty = memoryBytes === null ? null : memoryPenalty(form, memoryBytes, settings);
      return {
        number: t.number,
        status: t.status as 'completed' | 'failed',
        auc: t.result?.validAuc ?? null,
        memoryBytes,
        penalty: penalty !== null && Number.isFinite(penalty) ? penalty : null,
        reward: t.reward,
        overBudget: t.status === 'completed' && t.reward === OVER_BUDGET_REWARD && penalty === Infinity,
        cacheHit: t.cacheHit,
        dims: t.config.fields.map((f) => f.dim),
      };
    });
}

/** The best reward among the trials up to and including each one (null before the first reward). */
export function bestSoFar(points: readonly TrialPoint[]): (number | null)[] {
  let best: number | null = null;
  return points.map((p) => {
    if (p.reward !== null && (best === null || p.reward > best)) best = p.reward;
    return best;
  });
}

/** Trial numbers on the AUC × memory Pareto front of the trained trials, by memory ascending. */
export function paretoNumbers(points: readonly TrialPoint[]): number[] {
  const trained = points.filter((p) => p.auc !== null && p.memoryBytes !== null && !p.overBudget);
  return paretoFront(trained.map((p) => ({ id: p.number, auc: p.auc!, memoryBytes: p.memoryBytes! }))).map(
    (p) => p.id as number,
  );
}

/** Every dim any trial chose, ascending: the legend of the dims-over-trials plot. */
export function dimValues(points: readonly TrialPoint[]): number[] {
  return [...new Set(points.flatMap((p) => p.dims))].sort((a, b) => a - b);
}

export interface EpochCurve {
  number: number;
  reward: number;
  /** Validation AUC after each epoch, in order. */
  auc: number[];
}

/** The per-epoch validation AUC of the `top` best trials by reward (ties: the lower number), best first. */
export function topEpochCurves(trials: readonly TrialRecord[], top: number): EpochCurve[] {
  return trials
    .filter((t) => t.status === 'completed' && t.result !== null && t.reward !== null && t.result.epochs.length > 0)
    .sort((a, b) => b.reward! - a.reward! || a.number - b.number)
    .slice(0, top)
    .map((t) => ({ number: t.number, reward: t.reward!, auc: t.result!.epochs.map((e) => e.validAuc) }));
}
