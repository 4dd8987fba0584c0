/**
 * From a space and a dataset to what the controller chooses among (SearchChoices), and from a controller's proposal
 * to a complete TrialConfig (the model-wide settings come from the space, the per-field ones from the proposal).
 */
import type { EncodedDataset } from '../data/encoded-dataset.js';
import type { TrialConfig } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import type { Space } from '../space/schema.js';
import type { Proposal, SearchChoices } from './controllers/controller.js';

export function searchChoices(space: Space, dataset: EncodedDataset, spaceLabel: string): SearchChoices {
  const names = new Set(dataset.fields.map((f) => f.name));
  for (const name of Object.keys(space.features.fields)) {
    if (!names.has(name)) {
      throw new UsageError(
        `${spaceLabel}: features.fields.${name}: the dataset has no field "${name}"`,
        `use one of: ${[...names].join(', ')}`,
      );
    }
  }
  return {
    fields: dataset.fields.map((f) => {
      const o = space.features.fields[f.name] ?? {};
      return {
        name: f.name,
        dims: o.dims ?? space.features.dims,
        normBudgets: o.normBudgets ?? space.features.normBudgets,
        mletFactors: o.mletFactors ?? space.features.mletFactors,
      };
    }),
  };
}

/**
 * A proposal's TrialConfig. A searched MLET factor comes with the proposal (0 included); a single listed factor > 0 is
 * not a decision but still applies, so it is taken from the space; a single 0 leaves `mletFactor` out altogether.
 */
export function trialConfig(proposal: Proposal, space: Space, seed: number): TrialConfig {
  return {
    fields: proposal.fields.map((f) => {
      const o = space.features.fields[f.name];
      const maxNorm = o?.maxNorm ?? space.features.maxNorm;
      const factors = o?.mletFactors ?? space.features.mletFactors;
      const fixedFactor = f.mletFactor === undefined && factors.length === 1 && factors[0] > 0 ? { mletFactor: factors[0] } : {};
      return maxNorm === undefined ? { ...f, ...fixedFactor } : { ...f, ...fixedFactor, maxNorm };
    }),
    tower: [...space.model.tower],
    optimizer: space.model.optimizer,
    lr: space.model.lr,
    batchSize: space.model.batchSize,
    epochs: space.model.epochs,
    patience: space.model.patience,
    seed,
  };
}

/**
 * The training seed of trial `number` in a search seeded `searchSeed`: a fixed integer hash of the pair, so the same
 * trial trains the same way whichever worker runs it and whenever (resume).
 */
export function trialSeed(searchSeed: number, number: number): number {
  let h = Math.imul(searchSeed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(number + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 1; // non-negative 31-bit
}
