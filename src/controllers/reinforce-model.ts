/**
 * Model proposals for the per-trial reinforce: a trial's reward is its quality minus a memory penalty known exactly
 * before training, and a configuration's quality is, to a first approximation, a sum of what each choice adds. So
 * the quality of every trial so far (reward + its exact penalty) is fitted by a Bayesian linear model over the
 * one-hot choices (linear-posterior.ts); a proposal draws weights from its posterior (Thompson sampling: uncertain
 * choices get tried, settled ones exploited) and climbs (model-climb.ts) to the configuration that maximises
 * drawn quality − exact penalty. Where a policy gradient needs many trials to learn that a field at one dim is worth
 * its bytes, the fit pools every trial that ever chose it, and the exact penalty trades the fields against each other
 * under the budget at once. A field's other choices
 * (norm budget, technique) count only while its dim is above 0. Everything depends on the observations and the
 * controller's generator alone, so a resumed search proposes the same.
 */
import type { Decision } from './decisions.js';
import { fitLinear } from './linear-posterior.js';
import { climb } from './model-climb.js';
import type { Rng } from './rng.js';

export interface ModelInput {
  decisions: readonly Decision[];
  history: { picks: readonly number[][]; rewards: readonly number[] };
  /** The exact memory term of a configuration (0 when the reward has none); non-finite: never trained. */
  penalty: (picks: number[]) => number;
  /** Configurations already tried or handed out. */
  seen: ReadonlySet<string>;
  /** Configurations worth a trial (reinforce-prune.ts). */
  hopeful: (picks: number[]) => boolean;
}

/** The untried configuration a posterior draw rates best from a few starts; null before there is enough to fit. */
export function modelProposal(input: ModelInput, starts: readonly number[][], rng: Rng): number[] | null {
  const { decisions, history, penalty, seen, hopeful } = input;
  const offsets: number[] = [];
  let width = 0;
  for (const d of decisions) {
    offsets.push(width);
    width += d.values.length;
  }
  const dimOf = new Map<string, number>();
  decisions.forEach((d, j) => {
    if (d.key === 'dim') dimOf.set(d.field, j);
  });
  const features = (picks: readonly number[]): number[] =>
    decisions.flatMap((d, j) => {
      const dim = dimOf.get(d.field);
      const dropped = d.key !== 'dim' && dim !== undefined && decisions[dim].values[picks[dim]] === 0;
      return dropped ? [] : [offsets[j] + picks[j]];
    });
  const rows: number[][] = [];
  const quality: number[] = [];
  history.picks.forEach((picks, i) => {
    const cost = penalty([...picks]);
    if (!Number.isFinite(cost) || !Number.isFinite(history.rewards[i])) return;
    rows.push(features(picks));
    quality.push(history.rewards[i] + cost);
  });
  if (rows.length < 2) return null;
  const fit = fitLinear(rows, quality, width, decisions.length);
  const w = fit.sample(rng);
  const score = (picks: number[]) => features(picks).reduce((s, k) => s + w[k], 0) - penalty(picks);
  let best: { picks: number[]; score: number } | null = null;
  // The score test comes first: most climbs score far more configurations than could beat the best one kept, and
  // `hopeful` prices a configuration's memory again.
  const consider = (picks: number[], s: number) => {
    if (best !== null && s <= best.score) return;
    if (seen.has(picks.join(',')) || !hopeful(picks)) return;
    best = { picks: [...picks], score: s };
  };
  const sizes = decisions.map((d) => d.values.length);
  climb({ sizes, score, consider }, starts);
  return best === null ? null : (best as { picks: number[] }).picks;
}
