/**
 * Hyper-parameters of the TPE controller. The defaults are Optuna's TPESampler defaults, so that "tpe" means the
 * sampler people already know and compare against, not a variant tuned on embnas's own benchmarks.
 */
import { z } from 'zod';
import { UsageError } from '../../errors.js';

export interface TpeOptions {
  /** Uniform random proposals until this many observations exist (Optuna's n_startup_trials). */
  startupTrials: number;
  /** Candidates drawn from l(x) per decision per proposal; the one with the best l(x)/g(x) is proposed. */
  candidates: number;
  /** Weight of the uniform prior kernel in each estimator (Optuna's prior_weight). */
  priorWeight: number;
}

/** The space's `search.tpe` key, checked by zod when the space loads. */
export const TpeSchema = z.strictObject({
  startupTrials: z.number().int().min(0).optional(),
  candidates: z.number().int().positive().optional(),
  priorWeight: z.number().positive().optional(),
});

export const TPE_DEFAULTS: TpeOptions = { startupTrials: 10, candidates: 24, priorWeight: 1 };

/** Fills defaults and checks ranges; a bad value is the user's (it comes from the space's `search.tpe`). */
export function tpeOptions(partial: Partial<TpeOptions> = {}): TpeOptions {
  const o: TpeOptions = { ...TPE_DEFAULTS };
  for (const key of Object.keys(TPE_DEFAULTS) as (keyof TpeOptions)[]) {
    if (partial[key] !== undefined) o[key] = partial[key];
  }
  check('startupTrials', Number.isInteger(o.startupTrials) && o.startupTrials >= 0, 'a whole number ≥ 0, e.g. 10');
  check('candidates', Number.isInteger(o.candidates) && o.candidates >= 1, 'a whole number ≥ 1, e.g. 24');
  check('priorWeight', o.priorWeight > 0, 'a positive number, e.g. 1');
  return o;

  function check(key: keyof TpeOptions, ok: boolean, want: string): void {
    if (!ok || !Number.isFinite(o[key])) {
      throw new UsageError(`search.tpe.${key}: ${o[key]} is not valid`, `use ${want}`);
    }
  }
}
