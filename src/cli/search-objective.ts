/**
 * The objective a stored search maximises, from the space it started with: the reward form, the memory budget and λ,
 * for `list` and `show` (reward = AUC − penalty; "best" always means the highest reward).
 */
import { UsageError } from '../errors.js';
import { rewardFormula, type RewardForm } from '../search/reward.js';
import { parseSpace } from '../space/load-space.js';
import type { SearchRecord } from '../store/trial-store.js';

export interface SearchObjective {
  form: RewardForm;
  budgetMB: number;
  lambda: number;
  /** e.g. "reward = AUC − 0.3·max(0, memory/0.02997 MB − 1)". */
  formula: string;
}

/**
 * Undefined when the stored space no longer parses (a search started by an embnas whose space keys have since
 * changed): listing and showing such a search must still work; only its objective is then unknown.
 */
export function searchObjective(search: SearchRecord): SearchObjective | undefined {
  let reward;
  try {
    reward = parseSpace(search.spaceText, `search '${search.name}' (space stored from ${search.spacePath})`).space
      .reward;
  } catch (e) {
    if (e instanceof UsageError) return undefined;
    throw e;
  }
  return {
    form: reward.form,
    budgetMB: reward.budgetMB,
    lambda: reward.lambda,
    formula: rewardFormula(reward.form, reward.budgetMB, reward.lambda),
  };
}

/** Short, for a table column: "hinge 0.03 MB λ 0.3"; the budget form has no λ. */
export function shortObjective(o: SearchObjective | undefined): string {
  if (o === undefined) return '?';
  const budget = `${Number(o.budgetMB.toPrecision(4))} MB`;
  return o.form === 'budget' ? `budget ${budget}` : `${o.form} ${budget} λ ${o.lambda}`;
}
