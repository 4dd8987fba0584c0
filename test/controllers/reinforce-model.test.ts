/**
 * Model proposals (reinforce-model.ts): from trials whose quality is additive, the fit and the exact penalty lead the
 * climb from a trial that dropped the large informative field and kept a useless one large, to the best
 * configuration under the budget; a proposal is never one already seen or one that cannot win, and there is none
 * before two trials.
 */
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/controllers/decisions.js';
import { modelProposal } from '../../src/controllers/reinforce-model.js';
import { Rng } from '../../src/controllers/rng.js';

const DECISIONS: Decision[] = [
  { field: 'user', key: 'dim', values: [0, 2, 4] },
  { field: 'hour', key: 'dim', values: [2, 16] },
  { field: 'noise', key: 'dim', values: [0, 2] },
  { field: 'user', key: 'normAlpha', values: [0, 0.001] },
];
const GAIN = [
  [0, 0.03, 0.032],
  [0, 0.001],
  [0, 0],
  [0, 0],
];
const BYTES = [
  [0, 20, 40],
  [2, 16],
  [0, 2],
  [0, 0],
];
const BUDGET = 22;
const penalty = (p: number[]) => 0.001 * Math.max(0, p.reduce((s, k, j) => s + BYTES[j][k], 0) - BUDGET);
const quality = (p: number[]) => 0.7 + p.reduce((s, k, j) => s + GAIN[j][k], 0);

/** Every configuration but the best ones tried. */
function history() {
  const picks: number[][] = [];
  for (const u of [0, 1, 2])
    for (const h of [0, 1]) for (const n of [0, 1]) for (const a of [0, 1]) picks.push([u, h, n, a]);
  const tried = picks.filter((p) => !(p[0] === 1 && p[1] === 0 && p[2] === 0));
  return { picks: tried, rewards: tried.map((p) => quality(p) - penalty(p)) };
}

describe('model proposals', () => {
  it('climbs from a trial with the wrong field dropped to the best configuration under the budget', () => {
    const h = history();
    const seen = new Set(h.picks.map((p) => p.join(',')));
    for (let seed = 1; seed <= 5; seed++) {
      const stuck = [0, 1, 0, 0];
      const got = modelProposal(
        { decisions: DECISIONS, history: h, penalty, seen, hopeful: () => true },
        [stuck],
        new Rng(seed),
      );
      expect(got?.slice(0, 3)).toEqual([1, 0, 0]);
      expect(seen.has(got!.join(','))).toBe(false);
    }
  });

  it('proposes nothing seen, nothing hopeless, and nothing before two trials', () => {
    const h = history();
    const all = new Set([...h.picks, [1, 0, 0, 0], [1, 0, 0, 1]].map((p) => p.join(',')));
    const input = { decisions: DECISIONS, history: h, penalty, hopeful: () => true };
    expect(modelProposal({ ...input, seen: all }, [[0, 1, 0, 0]], new Rng(1))).toBeNull();
    expect(modelProposal({ ...input, seen: new Set(), hopeful: () => false }, [[0, 1, 0, 0]], new Rng(1))).toBeNull();
    const one = { picks: h.picks.slice(0, 1), rewards: h.rewards.slice(0, 1) };
    expect(modelProposal({ ...input, history: one, seen: new Set() }, [[0, 1, 0, 0]], new Rng(1))).toBeNull();
  });

  it('depends only on its inputs and the generator', () => {
    const h = history();
    const seen = new Set<string>();
    const run = () =>
      modelProposal(
        { decisions: DECISIONS, history: h, penalty, seen, hopeful: () => true },
        [[2, 1, 1, 1]],
        new Rng(9),
      );
    expect(run()).toEqual(run());
  });
});
