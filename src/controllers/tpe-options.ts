/**
 * Hyper-parameters of the TPE controller. The density defaults are Optuna's TPESampler defaults, so that "tpe" means
 * the sampler people already know and compare against, not a variant tuned on embnas's own benchmarks. The two
 * batch switches are what makes a batch of proposals behave like Optuna's sequential TPE: a constant liar for the
 * proposals of the batch not yet observed, and no trial spent on a configuration already tried or handed out.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';

export interface TpeOptions {
  /** Uniform random proposals until this many observations exist (Optuna's n_startup_trials). */
  startupTrials: number;
  /** Candidates drawn from l(x) per decision per proposal; the one with the best l(x)/g(x) is proposed. */
  candidates: number;
  /** Weight of the uniform prior kernel in each estimator (Optuna's prior_weight). */
  priorWeight: number;
  /**
   * Proposals handed out and not yet observed count in g(x) as the worst observations (Optuna's constant_liar), so the
   * later proposals of a batch move away from the earlier ones; with a batch of one it changes nothing.
   */
  constantLiar: boolean;
  /**
   * A proposal whose configuration was already observed or handed out is replaced by the best untried one among the
   * drawn candidates (then by fresh draws): a repeat would spend a trial on a known reward. Off, repeats are proposed
   * (the store answers them as cache hits); a one-shot search turns it off, where a second score is information.
   */
  distinct: boolean;
}

/** The space's `search.tpe` key, checked by zod when the space loads. */
export const TpeSchema = z.strictObject({
  startupTrials: z.number().int().min(0).optional(),
  candidates: z.number().int().positive().optional(),
  priorWeight: z.number().positive().optional(),
  constantLiar: z.boolean().optional(),
  distinct: z.boolean().optional(),
});

export const TPE_DEFAULTS: TpeOptions = {
  startupTrials: 10,
  candidates: 24,
  priorWeight: 1,
  constantLiar: true,
  distinct: true,
};

/** Fills defaults and checks ranges; a bad value is the user's (it comes from the space's `search.tpe`). */
export function tpeOptions(partial: Partial<TpeOptions> = {}): TpeOptions {
  const o: TpeOptions = { ...TPE_DEFAULTS };
  for (const key of Object.keys(TPE_DEFAULTS) as (keyof TpeOptions)[]) {
    if (partial[key] !== undefined) (o as unknown as Record<string, unknown>)[key] = partial[key];
  }
  check('startupTrials', Number.isInteger(o.startupTrials) && o.startupTrials >= 0, 'a whole number ≥ 0, e.g. 10');
  check('candidates', Number.isInteger(o.candidates) && o.candidates >= 1, 'a whole number ≥ 1, e.g. 24');
  check('priorWeight', Number.isFinite(o.priorWeight) && o.priorWeight > 0, 'a positive number, e.g. 1');
  check('constantLiar', typeof o.constantLiar === 'boolean', 'true or false');
  check('distinct', typeof o.distinct === 'boolean', 'true or false');
  return o;

  function check(key: keyof TpeOptions, ok: boolean, want: string): void {
    if (!ok) throw new UsageError(`search.tpe.${key}: ${String(o[key])} is not valid`, `use ${want}`);
  }
}
