/**
 * From a space and a dataset to what the controller chooses among (SearchChoices, with the exact memory term of any
 * proposal's reward), and from a controller's proposal to a complete TrialConfig (the model-wide settings come from the space, the per-field ones from the proposal).
 */
import type { EncodedDataset } from '../data/encoded-dataset.js';
import { inferenceBytes } from '../engine/memory.js';
import type { FieldConfig, TrialConfig } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import type { Space } from '../space/schema.js';
import type { FieldChoices, Proposal, SearchChoices } from './controllers/controller.js';
import { checkMemoryLimit } from './memory-limit.js';
import { memoryPenalty } from './reward.js';

export function searchChoices(space: Space, dataset: EncodedDataset, spaceLabel: string): SearchChoices {
  const rows = dataset.fields.map((f) => f.rows);
  const settings = { budgetBytes: space.reward.budgetMB * 1e6, lambda: space.reward.lambda };
  const fields = fieldChoices(space, dataset.fields.map((f) => f.name), spaceLabel);
  // Where candidate dims meet row counts: a largest model that cannot fit is refused before any trial.
  checkMemoryLimit(space, fields, rows, spaceLabel);
  return {
    // The memory a proposal's model would take does not depend on the training seed: 0 stands for any.
    penalty: (p) => memoryPenalty(space.reward.form, inferenceBytes(trialConfig(p, space, 0), rows), settings),
    fields,
  };
}

/** Each field's candidates, in dataset order, from the space's defaults and per-field overrides (no data needed). */
export function fieldChoices(space: Space, fieldNames: readonly string[], spaceLabel: string): FieldChoices[] {
  const names = new Set(fieldNames);
  for (const name of Object.keys(space.features.fields)) {
    if (!names.has(name)) {
      throw new UsageError(
        `${spaceLabel}: features.fields.${name}: the dataset has no field "${name}"`,
        `use one of: ${[...names].join(', ')}`,
      );
    }
  }
  return fieldNames.map((name) => {
    const o = space.features.fields[name] ?? {};
    const blocks = o.blocks ?? space.features.blocks;
    const choices: FieldChoices = {
      name,
      dims: o.dims ?? space.features.dims,
      normBudgets: o.normBudgets ?? space.features.normBudgets,
      mletFactors: o.mletFactors ?? space.features.mletFactors,
      resClusters: o.resClusters ?? space.features.resClusters,
      resNormBudgets: o.resNormBudgets ?? space.features.resNormBudgets,
      vocabKeep: o.vocabKeep ?? space.features.vocabKeep,
      ...(blocks ? { blocks, blockDims: blockDimsOf(space, name) } : {}),
    };
    checkOneTechnique(choices, spaceLabel, name in space.features.fields);
    return choices;
  });
}

/** Candidate dims of a field's later blocks: its own `blockDims`, the space's, else its candidate dims. */
function blockDimsOf(space: Space, name: string): number[] {
  const o = space.features.fields[name];
  return o?.blockDims ?? space.features.blockDims ?? o?.dims ?? space.features.dims;
}

/**
 * MLET, Res-embedding and multi-size blocks (with the vocabulary cut) each replace how a field's rows are made, and
 * they do not compose; a field may enable one of them (any candidate beyond "off").
 */
function checkOneTechnique(f: FieldChoices, spaceLabel: string, overridden: boolean): void {
  const on = [
    (f.mletFactors ?? []).some((x) => x > 0) && 'mletFactors',
    (f.resClusters ?? []).some((x) => x > 0) && 'resClusters',
    (f.blocks !== undefined || (f.vocabKeep ?? []).some((x) => x < 1)) && 'blocks/vocabKeep',
  ].filter((x): x is string => typeof x === 'string');
  if (on.length > 1) {
    const where = overridden ? `features (with features.fields.${f.name})` : 'features';
    throw new UsageError(
      `${spaceLabel}: ${where}: field "${f.name}" enables both ${on[0]} and ${on[1]}`,
      `use one of MLET, Res-embedding and multi-size blocks per field; turn the others off for "${f.name}" under features.fields.${f.name}`,
    );
  }
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
      const { blockDims: _searched, keep: _keep, ...rest } = f;
      const sizes = multiSize(f, space);
      return maxNorm === undefined ? { ...rest, ...fixedFactor, ...res, ...sizes } : { ...rest, ...fixedFactor, ...res, ...sizes, maxNorm };
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
 * Multi-size settings of a kept field: the vocabulary cut (searched, or the single listed value) when below 1, and the
 * blocks when the space has them, their later dims searched or the single candidate, clamped to the field's dim.
 */
function multiSize(f: Proposal['fields'][number], space: Space): Pick<FieldConfig, 'blocks' | 'keep'> {
  const o = space.features.fields[f.name];
  const keeps = o?.vocabKeep ?? space.features.vocabKeep;
  const keep = f.keep ?? (keeps.length === 1 ? keeps[0] : 1);
  const fractions = o?.blocks ?? space.features.blocks;
  if (f.dim === 0) return {}; // a dropped field has no rows to cut or split
  const out: Pick<FieldConfig, 'blocks' | 'keep'> = keep < 1 ? { keep } : {};
  if (fractions === undefined) return out;
  const later = f.blockDims ?? fractions.slice(1).map(() => blockDimsOf(space, f.name)[0]);
  return { ...out, blocks: { fractions: [...fractions], dims: [f.dim, ...later.map((d) => Math.min(d, f.dim))] } };
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
