/**
 * How long a one-shot search trains and how often it scores: the warm-up, the rounds, and per round the training
 * batches and the configurations scored on a window of validation rows. Counts are in mini-batches of the space's
 * batch size, so the same options mean more epochs on a smaller dataset.
 */
import type { BackendChoice } from '../../engine/backend.js';

export interface OneShotOptions {
  /** Seeds the supernet's initialisation, its batch order and the warm-up's uniform samples. */
  seed: number;
  /** Training batches with uniformly sampled configurations before anything is scored. */
  warmupBatches: number;
  rounds: number;
  /** Training batches per round (K), each with a configuration proposed by the controller. */
  trainBatches: number;
  /** Configurations scored per round (M) and observed by the controller. */
  scoreSamples: number;
  /** Rows of the validation window a round scores on. */
  windowRows: number;
  /** Best configurations by mean proxy reward scored again at the end, with the final weights, on the whole valid split. */
  rescore: number;
  backend?: BackendChoice;
}

export const ONESHOT_DEFAULTS: Omit<OneShotOptions, 'seed'> = { warmupBatches: 200, rounds: 100, trainBatches: 10, scoreSamples: 8, windowRows: 4096, rescore: 32 };

/** Defaults filled in and ranges checked (whole numbers; a window of at least one row). */
export function oneShotOptions(partial: Partial<OneShotOptions> & { seed: number }): OneShotOptions {
  const o: OneShotOptions = { ...ONESHOT_DEFAULTS, ...partial };
  for (const k of ['warmupBatches', 'rounds', 'trainBatches', 'scoreSamples', 'rescore'] as const) {
    if (!(Number.isInteger(o[k]) && o[k] >= 0)) throw new Error(`one-shot option ${k} is ${o[k]}: use a whole number ≥ 0`);
  }
  if (!(Number.isInteger(o.windowRows) && o.windowRows > 0)) throw new Error(`one-shot option windowRows is ${o.windowRows}: use a whole number > 0`);
  return o;
}
