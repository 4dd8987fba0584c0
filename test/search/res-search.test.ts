/** Res-embedding as a searched per-field setting: decisions, proposal keys, controllers, trial configs, a whole search. */
import { describe, expect, it } from 'vitest';
import { proposalKey, type SearchChoices } from '../../src/controllers/controller.js';
import { CONTROLLER_KINDS, createController } from '../../src/controllers/create-controller.js';
import { decisionsOf, indicesOf, proposalFrom } from '../../src/controllers/decisions.js';
import { ReinforceController } from '../../src/controllers/reinforce.js';
import { UniformController } from '../../src/controllers/uniform.js';
import { searchChoices, trialConfig } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';
import { TOY_CHOICES, toyReward } from '../controllers/toy-objective.js';
import { fakeSearch } from './fake-search.js';
import { FakeTrials, tinyDataset } from './fake-trials.js';

const withRes = (resClusters: number[], resNormBudgets: number[] = [1e-4]): SearchChoices => ({
  fields: TOY_CHOICES.fields.map((f) => ({ ...f, resClusters, resNormBudgets })),
});

describe('Res-embedding decisions', () => {
  it('are decisions after dim and normAlpha only when more than one value is listed', () => {
    const base = decisionsOf(TOY_CHOICES);
    expect(decisionsOf(withRes([0]))).toEqual(base);
    expect(decisionsOf(withRes([16], [1e-3]))).toEqual(base);
    const searched = decisionsOf({
      fields: [
        { name: 'user', dims: [0, 8], normBudgets: [0], resClusters: [0, 16, 64], resNormBudgets: [1e-4, 1e-3] },
        { name: 'item', dims: [4], normBudgets: [0], resClusters: [0, 8] },
      ],
    });
    expect(searched.map((d) => `${d.field}.${d.key}`)).toEqual([
      'user.dim',
      'user.normAlpha',
      'user.resClusters',
      'user.resAlpha',
      'item.dim',
      'item.normAlpha',
      'item.resClusters',
    ]);
    const p = proposalFrom(searched, [1, 0, 2, 1, 0, 0, 1]);
    expect(p).toEqual({
      fields: [
        { name: 'user', dim: 8, normAlpha: 0, resClusters: 64, resAlpha: 1e-3 },
        { name: 'item', dim: 4, normAlpha: 0, resClusters: 8 },
      ],
    });
    expect(indicesOf(searched, p)).toEqual([1, 0, 2, 1, 0, 0, 1]);
    expect(() => decisionsOf({ fields: [{ name: 'u', dims: [4], normBudgets: [0], resClusters: [0, 1.5] }] })).toThrow(
      /features\.resClusters of field "u" has the invalid value 1\.5/,
    );
  });

  it('leave proposal keys of unsearched proposals as they were, and tell the settings apart when searched', () => {
    expect(proposalKey({ fields: [{ name: 'u', dim: 8, normAlpha: 1e-4 }] })).toBe('u:8:0.0001');
    const k = (resClusters?: number, resAlpha?: number) =>
      proposalKey({ fields: [{ name: 'u', dim: 8, normAlpha: 0, resClusters, resAlpha }] });
    expect(k(16, 1e-4)).toBe('u:8:0:r16:ra0.0001');
    expect(new Set([k(), k(0), k(16), k(16, 1e-4), k(16, 1e-3)]).size).toBe(5);
  });

  it.each(CONTROLLER_KINDS)('%s: unsearched Res-embedding lists change no proposal and no state', (kind) => {
    const run = (choices: SearchChoices) => {
      const c = createController(kind, choices, { seed: 3, warmup: 2 });
      const keys: string[] = [];
      for (let b = 0; b < 4; b++) {
        const ps = c.propose(3);
        keys.push(...ps.map(proposalKey));
        c.observe(ps.map((proposal) => ({ proposal, reward: toyReward(proposal) })));
      }
      return { keys, state: c.getState() };
    };
    const plain = run(TOY_CHOICES);
    expect(run(withRes([0]))).toEqual(plain);
    expect(run(withRes([16], [1e-3]))).toEqual(plain);
  });

  it.each(CONTROLLER_KINDS)('%s: searched cluster counts appear in every proposal and survive a snapshot', (kind) => {
    const choices = withRes([0, 16, 64]);
    const c = createController(kind, choices, { seed: 3, warmup: 2 });
    const seen = new Set<number>();
    for (let b = 0; b < 4; b++) {
      const ps = c.propose(3);
      for (const p of ps) for (const f of p.fields) seen.add(f.resClusters!);
      c.observe(
        ps.map((proposal) => ({ proposal, reward: toyReward(proposal) - (proposal.fields[0].resClusters ?? 0) / 64 })),
      );
    }
    expect([...seen].every((k) => [0, 16, 64].includes(k))).toBe(true);
    if (kind !== 'uniform') expect(seen.size).toBeGreaterThan(1);
    const restored = createController(kind, choices, { seed: 99, warmup: 2 });
    restored.setState(JSON.parse(JSON.stringify(c.getState())));
    expect(restored.propose(5).map(proposalKey)).toEqual(c.propose(5).map(proposalKey));
  });

  it('reinforce shows the cluster-count and residual-α policies; uniform sweeps them slowest', () => {
    const policy = new ReinforceController(withRes([0, 16], [1e-4, 1e-3]), { seed: 1 }).policy();
    expect(policy[0].resClusters?.map((x) => x.value)).toEqual([0, 16]);
    expect(policy[0].resNormBudgets?.map((x) => x.value)).toEqual([1e-4, 1e-3]);
    expect(policy[0].mletFactors).toBeUndefined();
    const c = new UniformController({
      fields: [
        { name: 'a', dims: [4, 8], normBudgets: [0], resClusters: [0, 16] },
        { name: 'b', dims: [4, 8], normBudgets: [0] },
      ],
    });
    const summary = c
      .propose(5)
      .map((p) => p.fields.map((f) => `${f.dim}${f.resClusters === undefined ? '' : `r${f.resClusters}`}`).join(' '));
    expect(summary).toEqual(['4r0 4', '8r0 8', '4r16 4', '8r16 8', '4r0 4']);
  });
});

describe('Res-embedding from space to trial config', () => {
  const dataset = tinyDataset();
  const space = (features: string) =>
    parseSpace(`data: { format: synthetic }\nfeatures: ${features}\nreward: { budgetMB: 1 }\n`, 'space.yaml').space;

  it('passes searched values through, applies a single k > 0 with its α, and leaves Res-embedding off out', () => {
    const s = space(
      '{ dims: [4], resClusters: [0, 16], fields: { item: { resClusters: [8], resNormBudgets: [0.01] }, noise: { resClusters: [0] } } }',
    );
    expect(searchChoices(s, dataset, 'space.yaml').fields.map((f) => f.resClusters)).toEqual([[0, 16], [8], [0]]);
    const f = (name: string, extra = {}) => ({ name, dim: 4, normAlpha: 0, ...extra });
    const config = trialConfig({ fields: [f('user', { resClusters: 16 }), f('item'), f('noise')] }, s, 1);
    expect(config.fields).toEqual([
      f('user', { resClusters: 16, resAlpha: 1e-4 }),
      f('item', { resClusters: 8, resAlpha: 0.01 }),
      f('noise'),
    ]);
    expect(trialConfig({ fields: [f('user', { resClusters: 0 })] }, s, 1).fields[0]).toEqual(
      f('user', { resClusters: 0 }),
    );
    const searchedAlpha = space('{ dims: [4], resClusters: [16], resNormBudgets: [0, 0.001] }');
    expect(trialConfig({ fields: [f('user', { resAlpha: 0 })] }, searchedAlpha, 1).fields[0]).toEqual(
      f('user', { resClusters: 16, resAlpha: 0 }),
    );
  });

  it('runs a whole search with cluster counts searched, the same with 1 or 2 workers', async () => {
    const text = `data: { format: synthetic }\nfeatures: { dims: [0, 4], resClusters: [0, 2] }\nreward: { budgetMB: 1 }\nsearch: { controller: random, trials: 8, seed: 2, batch: 4 }\n`;
    const run = async (workers: number) => {
      const { store, id, space: s, runner } = fakeSearch(text, { dataset });
      const controller = createController('random', searchChoices(s, dataset, 'space.yaml'), { seed: 2 });
      const trials = new FakeTrials();
      await runner({ controller, trials, workers }).run();
      return store.core.listTrials(id, { orderBy: 'number' }).map((t) => t.config.fields);
    };
    const one = await run(1);
    expect(one).toHaveLength(8);
    expect(new Set(one.flat().map((f) => f.resClusters)).size).toBe(2);
    expect(one.flat().every((f) => (f.resClusters === 2) === (f.resAlpha === 1e-4))).toBe(true);
    expect(await run(2)).toEqual(one);
  });
});
