/**
 * From a space and a dataset to what the controller chooses among (SearchChoices, with the exact memory term of any
 * proposal's reward), and from a controller's proposal to a complete TrialConfig (the model-wide settings come from
 * the space, the per-field ones from the proposal and, for each embedding technique, src/techniques/).
 */
import type { EncodedDataset } from '../data/encoded-dataset.js';
import { inferenceBytes } from '../engine/memory.js';
import type { FieldConfig, TrialConfig } from '../engine/trial-config.js';
import { UsageError } from '../errors.js';
import type { Space } from '../space/schema.js';
import type { FieldChoices, Proposal, SearchChoices } from '../controllers/controller.js';
import { canonicalConfigJson } from '../store/config-key.js';
import { checkRowLimits } from './array-limits.js';
import { candidateLists, exclusiveLabels, exclusiveOn, fieldLists, techniqueConfig } from '../techniques/index.js';
import { checkMemoryLimit } from './memory-limit.js';
import { memoryPenalty } from './reward.js';

export function searchChoices(space: Space, dataset: EncodedDataset, spaceLabel: string): SearchChoices {
  const rows = dataset.fields.map((f) => f.rows);
  const settings = { budgetBytes: space.reward.budgetMB * 1e6, lambda: space.reward.lambda };
  const fields = fieldChoices(
    space,
    dataset.fields.map((f) => f.name),
    spaceLabel,
  );
  // Where candidate dims meet row counts: a table too long for one array, or a largest model that cannot fit in
  // memory, is refused before any trial.
  checkRowLimits(space, fields, rows, spaceLabel);
  checkMemoryLimit(space, fields, rows, spaceLabel);
  return {
    // The memory a proposal's model would take does not depend on the training seed: 0 stands for any.
    penalty: (p) => memoryPenalty(space.reward.form, inferenceBytes(trialConfig(p, space, 0), rows), settings),
    // The store's notion of the same configuration (a repeat is answered from it): the seed is not part of it.
    modelKey: (p) => canonicalConfigJson(trialConfig(p, space, 0)),
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
    const l = fieldLists(space.features, name);
    // Every decision's candidate list (dims, normBudgets, then each technique's) and the techniques' other lists.
    const choices: FieldChoices = { name, ...candidateLists(l) };
    checkOneTechnique(choices, spaceLabel, name in space.features.fields);
    return choices;
  });
}

/**
 * MLET, Res-embedding and multi-size blocks (with the vocabulary cut) each replace how a field's rows are made, and
 * they do not compose; a field may enable one of them (any candidate beyond "off").
 */
function checkOneTechnique(f: FieldChoices, spaceLabel: string, overridden: boolean): void {
  const on = exclusiveOn(f);
  if (on.length > 1) {
    const where = overridden ? `features (with features.fields.${f.name})` : 'features';
    throw new UsageError(
      `${spaceLabel}: ${where}: field "${f.name}" enables both ${on[0]} and ${on[1]}`,
      `use one of ${exclusiveLabels()} per field; turn the others off for "${f.name}" under features.fields.${f.name}`,
    );
  }
}

/**
 * A proposal's TrialConfig: the model-wide settings from the space, per field the proposal's dim and α, the space's
 * row cap, and each technique's keys (src/techniques/, `config`: searched values from the proposal, single listed
 * ones from the space).
 */
export function trialConfig(proposal: Proposal, space: Space, seed: number): TrialConfig {
  return {
    fields: proposal.fields.map((f) => {
      const lists = fieldLists(space.features, f.name);
      const field: FieldConfig = { name: f.name, dim: f.dim, normAlpha: f.normAlpha, ...techniqueConfig(f, lists) };
      return lists.maxNorm === undefined ? field : { ...field, maxNorm: lists.maxNorm };
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
