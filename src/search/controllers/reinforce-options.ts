/**
 * Hyper-parameters of the REINFORCE controller. The defaults are tuned for embnas's regime: every observation is a
 * trained model, so a search sees tens to a few hundred rewards, not the thousands NIS had; the controller must move
 * decisively within ~40 observations yet not collapse on the first lucky configuration. The measurements behind each
 * default are from `node bench/controller-sim.mjs` (five simulated landscapes, 20 seeds, batches of 4), see
 * docs/search-quality.md.
 */
import { UsageError } from '../../errors.js';

export interface ReinforceOptions {
  /** Step size of each gradient epoch on the logits. */
  lr: number;
  /** Gradient epochs over the whole history after each batch. */
  epochs: number;
  /** PPO clip ε: a pick's probability may move to at most (1 ± ε)× what it was when proposed, per update. */
  clip: number;
  /** Fraction of the trials so far, the best ones, that get a positive advantage (by rank). */
  elite: number;
  /** Weight of the entropy bonus at the start; it halves every `entropyHalfLife` observations. */
  entropyWeight: number;
  entropyHalfLife: number;
  /** Uniform samples before the policy starts learning (they are learned from too, at their uniform probability). */
  warmup: number;
  /** Extra draws allowed when a proposal repeats one already tried or handed out (0 = repeats allowed). */
  redraws: number;
  /** Observations kept and learned from (the most recent); bounds the snapshot's size. */
  history: number;
}

export const REINFORCE_DEFAULTS: ReinforceOptions = {
  lr: 1,
  epochs: 20,
  clip: 0.3,
  elite: 0.25,
  entropyWeight: 0.02,
  entropyHalfLife: 40,
  warmup: 4,
  history: 400,
  redraws: 20,
};

/** Fills defaults and checks ranges; a bad value is the user's (it comes from the space's `search.reinforce`). */
export function reinforceOptions(partial: Partial<ReinforceOptions> = {}): ReinforceOptions {
  const o: ReinforceOptions = { ...REINFORCE_DEFAULTS };
  for (const key of Object.keys(REINFORCE_DEFAULTS) as (keyof ReinforceOptions)[]) {
    if (partial[key] !== undefined) o[key] = partial[key];
  }
  check('lr', o.lr > 0, 'a positive number, e.g. 1');
  check('epochs', Number.isInteger(o.epochs) && o.epochs >= 1, 'a whole number ≥ 1, e.g. 20');
  check('clip', o.clip > 0, 'a positive number, e.g. 0.3');
  check('elite', o.elite > 0 && o.elite <= 1, 'a fraction in (0, 1], e.g. 0.25');
  check('entropyWeight', o.entropyWeight >= 0, 'a number ≥ 0, e.g. 0.02');
  check('entropyHalfLife', o.entropyHalfLife > 0, 'a positive number of observations, e.g. 40');
  check('warmup', Number.isInteger(o.warmup) && o.warmup >= 0, 'a whole number ≥ 0, e.g. 4');
  check('redraws', Number.isInteger(o.redraws) && o.redraws >= 0, 'a whole number ≥ 0, e.g. 20');
  check('history', Number.isInteger(o.history) && o.history >= 1, 'a whole number ≥ 1, e.g. 400');
  return o;

  function check(key: keyof ReinforceOptions, ok: boolean, want: string): void {
    if (!ok || !Number.isFinite(o[key])) {
      throw new UsageError(`search.reinforce.${key}: ${o[key]} is not valid`, `use ${want}`);
    }
  }
}
