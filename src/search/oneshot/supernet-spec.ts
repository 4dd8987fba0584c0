/**
 * From a search space to the supernet a one-shot search trains, and from a controller's proposal to the mask applied
 * to it. This slice shares weights between plain tables only: MLET, Res-embedding, multi-size blocks and the
 * vocabulary cut change how a field's rows are made, not just how many columns it uses, so a space that enables any
 * of them is refused with a message saying so.
 */
import type { SubnetConfig, SupernetSpec } from '../../engine/supernet/supernet.js';
import { UsageError } from '../../errors.js';
import type { Space } from '../../space/schema.js';
import { exclusiveKeys, exclusiveLabels, usesTechnique } from '../../techniques/index.js';
import type { FieldChoices, Proposal, SearchChoices } from '../../controllers/controller.js';
import { trialConfig } from '../trial-plan.js';

/** The widest configuration of the space: every field at its largest candidate dim (its first norm budget). */
export function widestProposal(choices: SearchChoices): Proposal {
  return {
    fields: choices.fields.map((f) => ({ name: f.name, dim: Math.max(...f.dims), normAlpha: f.normBudgets[0] })),
  };
}

export function supernetSpec(space: Space, choices: SearchChoices, seed: number, spaceLabel: string): SupernetSpec {
  choices.fields.forEach((f) => refuseTechniques(f, spaceLabel));
  const widest = trialConfig(widestProposal(choices), space, seed);
  for (const f of widest.fields) {
    if (usesTechnique(f)) {
      throw refusal(spaceLabel, f.name, `a fixed ${exclusiveLabels()}`);
    }
  }
  return {
    fields: widest.fields.map((f) => ({
      name: f.name,
      maxDim: f.dim,
      ...(f.maxNorm === undefined ? {} : { maxNorm: f.maxNorm }),
    })),
    tower: widest.tower,
    optimizer: widest.optimizer,
    lr: widest.lr,
    seed,
  };
}

/** The mask of a proposal: per field, in order, its dim and norm budget. */
export function subnetOf(proposal: Proposal, spec: SupernetSpec): SubnetConfig {
  if (proposal.fields.length !== spec.fields.length)
    throw new Error(`proposal has ${proposal.fields.length} fields, the supernet ${spec.fields.length}`);
  return proposal.fields.map((f, i) => {
    if (f.name !== spec.fields[i].name)
      throw new Error(`proposal field ${i} is ${f.name}, the supernet's ${spec.fields[i].name}`);
    return { dim: f.dim, normAlpha: f.normAlpha };
  });
}

function refuseTechniques(f: FieldChoices, spaceLabel: string): void {
  const on = exclusiveKeys(f);
  if (on.length > 0) throw refusal(spaceLabel, f.name, on.join(' and '));
}

function refusal(spaceLabel: string, field: string, what: string): UsageError {
  return new UsageError(
    `${spaceLabel}: field "${field}" uses ${what}, which one-shot search does not support yet (plain tables only)`,
    'search dims and norm budgets only, or search per trial (`--mode pertrial`)',
  );
}
