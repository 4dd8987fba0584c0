/** A noiseless stand-in for "train and score": each field that matters wants one dim; other fields do not matter. */
import type { Proposal, SearchChoices } from '../../../src/search/controllers/controller.js';

export const DIMS = [0, 2, 4, 8, 16, 32];
export const TARGETS: Record<string, number> = { user: 8, item: 16, city: 2, hour: 32 };
export const IGNORED = ['weekday', 'weather'];

export const TOY_CHOICES: SearchChoices = {
  fields: [...Object.keys(TARGETS), ...IGNORED].map((name) => ({ name, dims: DIMS, normBudgets: [0, 1e-4, 1e-3] })),
};

/** −Σ distance to the target in candidate steps (embedding sizes live on a log scale). */
export function toyReward(p: Proposal): number {
  let r = 0;
  for (const f of p.fields) {
    if (f.name in TARGETS) r -= Math.abs(DIMS.indexOf(f.dim) - DIMS.indexOf(TARGETS[f.name]));
  }
  return r;
}
