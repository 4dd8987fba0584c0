/** A noiseless stand-in for "train and score": each field that matters wants one dim; other fields do not matter. */
import type { Controller, Proposal, SearchChoices } from '../../src/controllers/controller.js';
import { Rng } from '../../src/controllers/rng.js';

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

/**
 * Runs `c` for `observations` proposals in batches of `batch`, observing the toy reward plus uniform noise in ±0.5
 * (a step of one candidate costs 1, so the noise hides single steps); returns the noiseless rewards in order.
 */
export function noisyToySearch(c: Controller, seed: number, observations: number, batch: number): number[] {
  const noise = new Rng(seed + 1000);
  const clean: number[] = [];
  for (let n = 0; n < observations; n += batch) {
    const proposals = c.propose(batch);
    clean.push(...proposals.map(toyReward));
    c.observe(proposals.map((proposal) => ({ proposal, reward: toyReward(proposal) + noise.next() - 0.5 })));
  }
  return clean;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
