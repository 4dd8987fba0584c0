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
        resClusters: o.resClusters ?? space.features.resClusters,
        resNormBudgets: o.resNormBudgets ?? space.features.resNormBudgets,
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
      const res = fixedRes(f, space, f.name);
      return maxNorm === undefined ? { ...f, ...fixedFactor, ...res } : { ...f, ...fixedFactor, ...res, maxNorm };
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
 * Res-embedding settings a proposal does not carry: a single listed cluster count > 0 applies without being searched,
 * and a field with Res-embedding on gets its residual α from the space when the α is not searched. A field with
 * Res-embedding off (and α not searched) gets neither key.
 */
function fixedRes(f: Proposal['fields'][number], space: Space, name: string): { resClusters?: number; resAlpha?: number } {
  const o = space.features.fields[name];
  const ks = o?.resClusters ?? space.features.resClusters;
  const alphas = o?.resNormBudgets ?? space.features.resNormBudgets;
  const out: { resClusters?: number; resAlpha?: number } = {};
  if (f.resClusters === undefined && ks.length === 1 && ks[0] > 0) out.resClusters = ks[0];
  if (f.resAlpha === undefined && (f.resClusters ?? out.resClusters ?? 0) > 0 && alphas.length === 1) out.resAlpha = alphas[0];
  return out;
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
