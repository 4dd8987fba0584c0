/**
 * Hyper-parameters of the REINFORCE controller. The defaults are tuned for embnas's regime: every observation is a
 * trained model, so a search sees tens to a few hundred rewards, not the thousands NIS had; the controller must move
 * decisively within ~40 observations yet not collapse on the first lucky configuration. The measurements behind each
 * default are from `node bench/controller-sim.mjs` (simulated landscapes, 20 seeds, batches of 4), see
 * docs/search-quality.md.
 */
import { UsageError } from '../errors.js';

/*
 * Numbers below: gain in mean best reward over random search, averaged over the five memory-bound landscapes of
 * bench/sim-landscapes.mjs (20 seeds each, batches of 4), at 40 / 100 trials, changing one option from the settings
 * first tried (lr 1, epochs 20, clip 0.3, elite 0.25, entropy 0.02 halving every 40, warm-up 4), which gave
 * +0.026 / +0.041. Differences under ~0.003 are within the seed noise of these averages.
 */
export interface ReinforceOptions {
  /** Step size of each gradient epoch on the logits. 0.5: +0.022 / +0.038; 2: +0.025 / +0.040. */
  lr: number;
  /** Gradient epochs over the whole history after each batch. 10: +0.023 / +0.039; 40: +0.026 / +0.042. */
  epochs: number;
  /**
   * PPO clip ε: a pick's own term stops pulling once its probability is (1 ± ε)× what it was when proposed, so one
   * update cannot run far from the data. 0.15 learns too slowly (+0.016 / +0.027); 1 is too greedy (+0.014 / +0.020).
   * 0.5 instead of 0.3, with the other defaults, raises the mean lead over tpe on the five memory-bound landscapes
   * from +0.033 / +0.027 to +0.037 / +0.031, and on the three others (40 seeds) from +0.003 / +0.001 to +0.005 / +0.003.
   */
  clip: number;
  /**
   * Fraction of the trials so far, the best ones, that get a positive advantage (log-rank weights). 0.1 is too
   * greedy (+0.017 / +0.035); 0.5 +0.029 / +0.040 and 1 +0.026 / +0.043, all within noise of each other above 0.25.
   */
  elite: number;
  /**
   * Weight of the entropy bonus at the start; it halves every `entropyHalfLife` observations. Between 0 and 0.1, and
   * half-lives from 40 to 1000, the best rewards at 40 and 100 trials stay within noise (with clip 0.5: 0.05 gives a
   * lead over tpe of +0.037 / +0.031 on the memory-bound landscapes and +0.005 / +0.003 on the others, 0.1 gives
   * +0.034 / +0.030 and +0.004 / +0.002). What the bonus buys is in long searches: on the toy objective of the tests
   * after 300 observations, 8 of 360 fields that matter end on a wrong dim with 0.05 halving every 100 (3 with 0.1,
   * 15 with 0.02 halving every 40), and fields the reward ignores keep their favourite dim at 0.49 on average (0.43,
   * 0.52). 0.05 is the default because the CLI runs on the synthetic space (docs/search-quality.md) used it; 0.1
   * was not run there.
   */
  entropyWeight: number;
  entropyHalfLife: number;
  /**
   * Uniform samples before the policy starts learning (they are learned from too, at their uniform probability).
   * 0: +0.026 / +0.041; 8: +0.021 / +0.043; 4, one default batch, is the middle.
   */
  warmup: number;
  /**
   * Extra draws allowed when a proposal repeats one already tried or handed out, or cannot win (`winMargin`); 0 takes
   * the first draw. Repeats are rare in the landscapes but on a small space a peaked policy repeats itself, and each
   * repeat is a trial spent on a known reward; on a tight budget most uniform draws cannot win. A draw costs
   * microseconds (the penalty is arithmetic), a trial seconds: 100.
   */
  redraws: number;
  /** Observations kept and learned from (the most recent); bounds the snapshot's size. */
  history: number;
  /**
   * AUC a proposal might still gain over the best AUC of any trial so far. A proposal whose exact memory penalty
   * leaves it no chance to beat the best reward even with that gain is drawn again (within `redraws`; see
   * reinforce-prune.ts). The AUC of CTR models moves by thousandths between neighbouring configurations, so 0.01 is
   * generous; 1 prunes only what could not win at AUC 1.
   */
  winMargin: number;
  /**
   * Every `incumbentEvery`-th proposal after the warm-up is an untried one-step neighbour of the best trial so far
   * (reinforce-incumbent.ts); 0 turns it off.
   */
  incumbentEvery: number;
  /**
   * Every `modelEvery`-th proposal after the warm-up comes from a Bayesian linear model of the trials' quality and
   * the exact memory penalty (reinforce-model.ts); 0 turns it off.
   */
  modelEvery: number;
}

export const REINFORCE_DEFAULTS: ReinforceOptions = {
  lr: 1,
  epochs: 20,
  clip: 0.5,
  elite: 0.5,
  entropyWeight: 0.05,
  entropyHalfLife: 100,
  warmup: 4,
  history: 400,
  redraws: 100,
  winMargin: 0.01,
  incumbentEvery: 0,
  modelEvery: 2,
};

/** Fills defaults and checks ranges; a bad value is the user's (it comes from the space's `search.reinforce`). */
export function reinforceOptions(partial: Partial<ReinforceOptions> = {}): ReinforceOptions {
  const o: ReinforceOptions = { ...REINFORCE_DEFAULTS };
  for (const key of Object.keys(REINFORCE_DEFAULTS) as (keyof ReinforceOptions)[]) {
    if (partial[key] !== undefined) o[key] = partial[key];
  }
  check('lr', o.lr > 0, 'a positive number, e.g. 1');
  check('epochs', Number.isInteger(o.epochs) && o.epochs >= 1, 'a whole number ≥ 1, e.g. 20');
  check('clip', o.clip > 0, 'a positive number, e.g. 0.5');
  check('elite', o.elite > 0 && o.elite <= 1, 'a fraction in (0, 1], e.g. 0.5');
  check('entropyWeight', o.entropyWeight >= 0, 'a number ≥ 0, e.g. 0.05');
  check('entropyHalfLife', o.entropyHalfLife > 0, 'a positive number of observations, e.g. 100');
  check('warmup', Number.isInteger(o.warmup) && o.warmup >= 0, 'a whole number ≥ 0, e.g. 4');
  check('redraws', Number.isInteger(o.redraws) && o.redraws >= 0, 'a whole number ≥ 0, e.g. 100');
  check('history', Number.isInteger(o.history) && o.history >= 1, 'a whole number ≥ 1, e.g. 400');
  check('winMargin', o.winMargin >= 0, 'a number ≥ 0, e.g. 0.01');
  check(
    'incumbentEvery',
    Number.isInteger(o.incumbentEvery) && o.incumbentEvery >= 0,
    'a whole number ≥ 0, e.g. 4 (0: off)',
  );
  check('modelEvery', Number.isInteger(o.modelEvery) && o.modelEvery >= 0, 'a whole number ≥ 0, e.g. 2 (0: off)');
  return o;

  function check(key: keyof ReinforceOptions, ok: boolean, want: string): void {
    if (!ok || !Number.isFinite(o[key])) {
      throw new UsageError(`search.reinforce.${key}: ${o[key]} is not valid`, `use ${want}`);
    }
  }
}
