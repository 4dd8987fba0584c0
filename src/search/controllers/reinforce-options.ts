/**
 * Hyper-parameters of the REINFORCE controller. The defaults are tuned for embnas's regime: every observation is a
 * trained model, so a search sees tens to a few hundred rewards, not the thousands NIS had; the controller must move
 * decisively within ~100 observations yet not collapse on the first lucky configuration.
 */
import { UsageError } from '../../errors.js';

export interface ReinforceOptions {
  /**
   * Adam step size on the logits. Adam moves a logit by about lr per observation when the signal is consistent,
   * and by a random walk of about lr·√n when there is none, so lr trades speed against drift. On the toy objective
   * of the tests (4 fields that matter, 2 that do not, 6 candidate dims each, batches of 2), 0.05 puts 0.48 on the
   * right dims after 100 observations and 0.94 after 300 while the ignored fields' favourite stays at 0.31 / 0.35
   * (uniform is 0.17); 0.1 learns faster (0.74 / 0.99) but lets the ignored fields drift to 0.42. Real rewards are
   * noisier than the toy's (AUC moves with the training seed), which argues for the slower default.
   */
  lr: number;
  /**
   * Weight of the entropy bonus, in units of the normalised advantage (≈ 1 per observation). It pulls undecided
   * choices back towards uniform: on the same toy, 0.1 instead of 0.01 lowers the ignored fields' favourite after 300
   * observations from 0.44 to 0.35 and the right dims' probability only from 0.96 to 0.94.
   */
  entropyWeight: number;
  /**
   * Decay of the exponential-moving-average reward baseline (and of the reward spread advantages are scaled by).
   * 0.9 averages over the last ~10 rewards: the policy improves quickly in a short search, and a slower baseline
   * would lag behind it and make most advantages positive.
   */
  baselineDecay: number;
  /**
   * Uniform samples before the policy starts learning. Their rewards only seed the baseline and the reward scale, and
   * they give the Pareto front a spread of sizes to start from; 8 is two batches of the default size 4.
   */
  warmup: number;
  /** Adam's moment decays and epsilon (the usual values). */
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const REINFORCE_DEFAULTS: ReinforceOptions = {
  lr: 0.05,
  entropyWeight: 0.1,
  baselineDecay: 0.9,
  warmup: 8,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
};

/** Fills defaults and checks ranges; a bad value is the user's (it comes from the space's `search.reinforce`). */
export function reinforceOptions(partial: Partial<ReinforceOptions> = {}): ReinforceOptions {
  const o: ReinforceOptions = { ...REINFORCE_DEFAULTS };
  for (const key of Object.keys(REINFORCE_DEFAULTS) as (keyof ReinforceOptions)[]) {
    if (partial[key] !== undefined) o[key] = partial[key];
  }
  check('lr', o.lr > 0, 'a positive number, e.g. 0.05');
  check('entropyWeight', o.entropyWeight >= 0, 'a number ≥ 0, e.g. 0.1');
  check('baselineDecay', o.baselineDecay >= 0 && o.baselineDecay < 1, 'a number in [0, 1), e.g. 0.9');
  check('warmup', Number.isInteger(o.warmup) && o.warmup >= 0, 'a whole number ≥ 0, e.g. 8');
  check('beta1', o.beta1 >= 0 && o.beta1 < 1, 'a number in [0, 1), e.g. 0.9');
  check('beta2', o.beta2 >= 0 && o.beta2 < 1, 'a number in [0, 1), e.g. 0.999');
  check('epsilon', o.epsilon > 0, 'a small positive number, e.g. 1e-8');
  return o;

  function check(key: keyof ReinforceOptions, ok: boolean, want: string): void {
    if (!ok || !Number.isFinite(o[key])) {
      throw new UsageError(`search.reinforce.${key}: ${o[key]} is not valid`, `use ${want}`);
    }
  }
}
