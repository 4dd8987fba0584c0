/**
 * Reinforce spends no trial on a proposal whose exact memory penalty leaves it no chance to beat the best reward
 * (reinforce-prune.ts): the slack by hand, the controller's proposals, and the search's penalty equal to the reward's
 * memory term.
 */
import { describe, expect, it } from 'vitest';
import type { Proposal, SearchChoices } from '../../src/controllers/controller.js';
import { ReinforceController } from '../../src/controllers/reinforce.js';
import { hopelessTest } from '../../src/controllers/reinforce-prune.js';
import { searchChoices } from '../../src/search/trial-plan.js';
import { reward } from '../../src/search/reward.js';
import { SpaceSchema } from '../../src/space/schema.js';
import type { EncodedDataset } from '../../src/data/encoded-dataset.js';

/** Three fields; the penalty is 0.01 per unit of the dims' total above 8. */
const dims = [0, 2, 8, 16, 32];
const penalty = (p: Proposal) => 0.01 * Math.max(0, p.fields.reduce((s, f) => s + f.dim, 0) - 8);
const choices = (withPenalty: boolean): SearchChoices => ({
  fields: ['a', 'b', 'c'].map((name) => ({ name, dims, normBudgets: [0] })),
  ...(withPenalty ? { penalty } : {}),
});
const proposal = (...d: number[]): Proposal => ({ fields: d.map((dim, i) => ({ name: 'abc'[i], dim, normAlpha: 0 })) });

describe('hopeless proposals', () => {
  it('measures the slack against the best reward and the best AUC seen plus the margin', () => {
    // trained: (2,2,2) with penalty 0 and reward 0.70 (AUC 0.70); (8,8,0) with penalty 0.08 and reward 0.72 (AUC 0.80)
    const seen = [
      { proposal: proposal(2, 2, 2), reward: 0.7 },
      { proposal: proposal(8, 8, 0), reward: 0.72 },
    ];
    const slack = hopelessTest(penalty, seen, 0.01)!;
    // best reward 0.72, best AUC 0.72 + 0.08 = 0.80, ceiling 0.81: slack = 0.81 − penalty − 0.72
    expect(slack(proposal(2, 2, 0))).toBeCloseTo(0.09, 12);
    expect(slack(proposal(32, 32, 0))).toBeCloseTo(0.09 - 0.56, 12);
    expect(slack(proposal(8, 8, 2))).toBeCloseTo(0.09 - 0.1, 12); // just hopeless
    expect(hopelessTest(undefined, seen, 0.01)).toBeNull();
    expect(hopelessTest(penalty, [], 0.01)).toBeNull();
    // a never-trained configuration (infinite penalty) says nothing about AUC and sets no best
    expect(hopelessTest(() => Infinity, seen, 0.01)).toBeNull();
  });

  it('keeps the search’s proposals out of what cannot win, and only where the penalty is known', () => {
    const run = (withPenalty: boolean) => {
      const c = new ReinforceController(choices(withPenalty), { seed: 3 });
      const all: Proposal[] = [];
      // 5 batches: within them the 125 configurations are far from used up, so a redraw always finds a hopeful one
      for (let b = 0; b < 5; b++) {
        const ps = c.propose(4);
        all.push(...ps);
        // AUC grows a little with the total dim; the reward is AUC − penalty
        c.observe(
          ps.map((p) => ({ proposal: p, reward: 0.7 + 0.001 * p.fields.reduce((s, f) => s + f.dim, 0) - penalty(p) })),
        );
      }
      return all.slice(4); // after the uniform first batch
    };
    const heavy = (ps: Proposal[]) => ps.filter((p) => penalty(p) > 0.2).length;
    const pruned = run(true);
    const blind = run(false);
    expect(heavy(pruned)).toBe(0);
    expect(heavy(blind)).toBeGreaterThan(2);
  });

  it('gets from the search the exact memory term of the reward', () => {
    const space = SpaceSchema.parse({
      data: { format: 'synthetic' },
      features: { dims: [0, 4, 16] },
      model: { tower: [8] },
      reward: { form: 'hinge', budgetMB: 0.001, lambda: 0.2 },
    });
    const fields = ['u', 'v'].map((name, i) => ({
      name,
      rows: [50, 300][i],
      kept: 0,
      oovId: 0,
      missingId: 0,
      counts: new Int32Array(0),
      distinct: 0,
      values: [],
    }));
    const dataset = { fields } as unknown as EncodedDataset;
    const c = searchChoices(space, dataset, 'space.yaml');
    for (const [du, dv] of [
      [0, 0],
      [4, 0],
      [16, 16],
    ]) {
      const p = {
        fields: [
          { name: 'u', dim: du, normAlpha: 0 },
          { name: 'v', dim: dv, normAlpha: 0 },
        ],
      };
      // memory: rows·dim·4 per field + the tower (input (du+dv)·8 + 8 biases + 8 + 1 output) · 4
      const bytes = (50 * du + 300 * dv) * 4 + ((du + dv) * 8 + 8 + 8 + 1) * 4;
      expect(0.8 - c.penalty!(p)).toBeCloseTo(
        reward('hinge', { auc: 0.8, memoryBytes: bytes }, { budgetBytes: 1000, lambda: 0.2 }),
        12,
      );
    }
  });
});
