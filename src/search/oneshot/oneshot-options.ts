/**
 * How long a one-shot search trains and how often it scores: the warm-up, the rounds, the training batches spread over
 * them and the configurations each round scores on a window of validation rows. Counts here are in mini-batches of
 * the space's batch size; a space says epochs, which oneshot-length.ts turns into batches.
 */
import type { BackendChoice } from '../../engine/backend.js';

export interface OneShotOptions {
  /** Seeds the supernet's initialisation, its batch order and the warm-up's uniform samples. */
  seed: number;
  /** Training batches with uniformly sampled configurations before anything is scored. */
  warmupBatches: number;
  rounds: number;
  /** Training batches over all the rounds, spread as evenly as whole batches allow (oneshot-length.ts). */
  searchBatches: number;
  /**
   * What the training batches train: `uniform` samples (every column of every field keeps being trained, so the
   * proxy stays fair to configurations the policy has stopped proposing) or the round's `policy` proposals (the
   * shared weights follow the policy: cheaper to get right where it looks, but a field the policy drops early stops
   * being trained and can never win back — on the synthetic default it dropped `user`, the largest informative field),
   * or `sandwich`: uniform, but every fourth batch trains the widest configuration, so the last columns of each
   * table (used only by the largest dims, hence rarely under uniform sampling) are trained far more often.
   */
  trainSampling: 'uniform' | 'policy' | 'sandwich';
  /** Configurations the controller proposes per round (M): trained on, scored, observed. */
  scoreSamples: number;
  /** Rows of the validation window a round scores on. */
  windowRows: number;
  /** Best configurations by mean proxy reward scored again at the end, with the final weights, on the whole valid split. */
  rescore: number;
  /** Scorings spent at the end on a greedy local search from the two best rescored configurations (refine.ts). */
  refine: number;
  backend?: BackendChoice;
}

/** Defaults of the library's options, in batches (the CLI derives them from the space's epochs: oneShotFromSpace). */
export const ONESHOT_DEFAULTS: Omit<OneShotOptions, 'seed'> = {
  warmupBatches: 200,
  rounds: 100,
  searchBatches: 1000,
  scoreSamples: 8,
  windowRows: 4096,
  rescore: 32,
  refine: 64,
  trainSampling: 'uniform',
};

/** Defaults filled in and ranges checked (whole numbers; a window of at least one row). */
export function oneShotOptions(partial: Partial<OneShotOptions> & { seed: number }): OneShotOptions {
  const o: OneShotOptions = { ...ONESHOT_DEFAULTS, ...partial };
  for (const k of ['warmupBatches', 'rounds', 'searchBatches', 'rescore', 'refine'] as const) {
    if (!(Number.isInteger(o[k]) && o[k] >= 0))
      throw new Error(`one-shot option ${k} is ${o[k]}: use a whole number ≥ 0`);
  }
  if (o.rounds === 0 && o.searchBatches > 0)
    throw new Error(
      `one-shot option searchBatches is ${o.searchBatches} with no round to train them in: use rounds > 0`,
    );
  if (!(Number.isInteger(o.scoreSamples) && o.scoreSamples > 0))
    throw new Error(`one-shot option scoreSamples is ${o.scoreSamples}: use a whole number > 0`);
  if (!['uniform', 'policy', 'sandwich'].includes(o.trainSampling))
    throw new Error(`one-shot option trainSampling is ${String(o.trainSampling)}: use uniform, policy or sandwich`);
  if (!(Number.isInteger(o.windowRows) && o.windowRows > 0))
    throw new Error(`one-shot option windowRows is ${o.windowRows}: use a whole number > 0`);
  return o;
}

/**
 * The reinforce settings a one-shot search starts from (the space's search.reinforce overrides them). The per-trial
 * defaults squeeze a few dozen exact rewards (20 clipped epochs at lr 1 per batch, repeats redrawn); here rewards are
 * hundreds of cheap, noisy proxies, so the policy takes one gentle step per round, keeps its entropy bonus for longer,
 * and may propose a configuration again (another score of it is information, not a wasted trial); local moves
 * around the best are left to the local search on the final weights (refine.ts).
 */
export const ONESHOT_REINFORCE = {
  epochs: 1,
  lr: 0.2,
  entropyHalfLife: 400,
  redraws: 0,
  incumbentEvery: 0,
  modelEvery: 0,
} as const;

/** The TPE settings a one-shot search starts from (search.tpe overrides them): repeats proposed, as reinforce's. */
export const ONESHOT_TPE = { distinct: false } as const;

/** The space's `search.oneshot`: the supernet's length in epochs of the train split, the rest as OneShotOptions. */
export interface OneShotSpaceOptions {
  epochs?: number;
  warmupEpochs?: number;
  rounds?: number;
  scoreSamples?: number;
  windowRows?: number;
  rescore?: number;
  refine?: number;
  trainSampling?: 'uniform' | 'policy' | 'sandwich';
}

/**
 * Defaults of `search.oneshot`, measured in docs/search-quality.md: 4 epochs of supernet training (1 of them uniform
 * warm-up) cost about as much as a dozen two-epoch trials once scoring is counted; 100 rounds of 8 proposals give
 * the controller 800 proxy rewards, each on 1024 validation rows.
 */
export const ONESHOT_SPACE_DEFAULTS: Required<OneShotSpaceOptions> = {
  epochs: 4,
  warmupEpochs: 1,
  rounds: 100,
  scoreSamples: 8,
  windowRows: 1024,
  rescore: 32,
  refine: 64,
  trainSampling: 'uniform',
};
