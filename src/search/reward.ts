/**
 * The reward a controller maximises: validation AUC traded against the inference model's memory.
 *
 * - `hinge` (NIS): R = AUC − λ·max(0, M/budget − 1). Free below the budget, a linear penalty above it.
 * - `linear`: R = AUC − λ·M/budget. Every byte costs, so smaller models win ties.
 * - `budget`: R = AUC if M ≤ budget, else −1. A hard constraint; over-budget configurations are never trained
 *   (see `overBudget`), their −1 is observed directly.
 */
import { UsageError } from '../errors.js';

export const REWARD_FORMS = ['hinge', 'linear', 'budget'] as const;
export type RewardForm = (typeof REWARD_FORMS)[number];

/** The reward of a configuration over the budget in the `budget` form: below any AUC (which is ≥ 0). */
export const OVER_BUDGET_REWARD = -1;

export interface RewardInputs {
  /** Validation AUC of the trained model. */
  auc: number;
  /** Inference bytes of the model. */
  memoryBytes: number;
}

export interface RewardSettings {
  budgetBytes: number;
  /** Weight of the memory term (unused by the `budget` form). */
  lambda: number;
}

export function reward(form: RewardForm, { auc, memoryBytes }: RewardInputs, settings: RewardSettings): number {
  // A NaN reward would poison the controller's baseline for the rest of the search: fail where it appears.
  if (!Number.isFinite(auc)) throw new Error(`reward: validation AUC is ${auc}; the trial result is broken`);
  checkMemory(memoryBytes);
  checkSettings(settings);
  const ratio = memoryBytes / settings.budgetBytes;
  switch (form) {
    case 'hinge':
      return auc - settings.lambda * Math.max(0, ratio - 1);
    case 'linear':
      return auc - settings.lambda * ratio;
    case 'budget':
      return memoryBytes <= settings.budgetBytes ? auc : OVER_BUDGET_REWARD;
    default:
      throw unknownForm(form);
  }
}

/**
 * The memory term of the reward: reward = AUC − memoryPenalty for `hinge` and `linear`; for `budget`, 0 within the
 * budget and Infinity over it (such a configuration is never trained). Known before training, from the bytes alone.
 */
export function memoryPenalty(form: RewardForm, memoryBytes: number, settings: RewardSettings): number {
  checkMemory(memoryBytes);
  checkSettings(settings);
  const ratio = memoryBytes / settings.budgetBytes;
  switch (form) {
    case 'hinge':
      return settings.lambda * Math.max(0, ratio - 1);
    case 'linear':
      return settings.lambda * ratio;
    case 'budget':
      return ratio <= 1 ? 0 : Infinity;
    default:
      throw unknownForm(form);
  }
}

/** True when the configuration's reward is known without training: the `budget` form and more bytes than allowed. */
export function overBudget(form: RewardForm, memoryBytes: number, budgetBytes: number): boolean {
  if (!REWARD_FORMS.includes(form)) throw unknownForm(form);
  checkMemory(memoryBytes);
  checkSettings({ budgetBytes, lambda: 0 });
  return form === 'budget' && memoryBytes > budgetBytes;
}

function checkMemory(memoryBytes: number): void {
  if (!Number.isFinite(memoryBytes) || memoryBytes < 0) {
    throw new Error(`reward: memory footprint is ${memoryBytes} bytes; the trial result is broken`);
  }
}

function checkSettings({ budgetBytes, lambda }: RewardSettings): void {
  if (!Number.isFinite(budgetBytes) || budgetBytes <= 0) {
    throw new UsageError(`reward.budgetMB must be a positive number (got ${budgetBytes} bytes)`, 'e.g. budgetMB: 0.5');
  }
  if (!Number.isFinite(lambda) || lambda < 0) {
    throw new UsageError(`reward.lambda must be a number ≥ 0 (got ${lambda})`, 'e.g. lambda: 0.1');
  }
}

function unknownForm(form: string): UsageError {
  return new UsageError(`reward.form: unknown form "${form}"`, `use one of ${REWARD_FORMS.join(', ')}`);
}

/**
 * The reward as one line with the search's own numbers, for every place that shows a reward (the terminal UI, plain
 * lines, `show`, `list`, the HTML report): e.g. "reward = AUC − 0.3·max(0, memory/0.03 MB − 1)".
 */
export function rewardFormula(form: RewardForm, budgetMB: number, lambda: number): string {
  const budget = `${Number(budgetMB.toPrecision(4))} MB`;
  switch (form) {
    case 'hinge':
      return `reward = AUC − ${lambda}·max(0, memory/${budget} − 1)`;
    case 'linear':
      return `reward = AUC − ${lambda}·memory/${budget}`;
    case 'budget':
      return `reward = AUC within ${budget}, −1 over it`;
    default:
      throw unknownForm(form);
  }
}

/** A trained trial's reward under a space's `reward` settings: the same wherever the trial was trained. */
export function trialReward(
  r: { form: RewardForm; budgetMB: number; lambda: number },
  result: { validAuc: number; inferenceBytes: number },
): number {
  return reward(
    r.form,
    { auc: result.validAuc, memoryBytes: result.inferenceBytes },
    { budgetBytes: r.budgetMB * 1e6, lambda: r.lambda },
  );
}
