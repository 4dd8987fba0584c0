/** MLET factors as a searched per-field setting: decisions, proposals, controllers, trial configs, a whole search. */
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
import { thrownUsageError } from '../usage-error.js';

const withFactors = (factors: number[], choices: SearchChoices = TOY_CHOICES): SearchChoices => ({
  fields: choices.fields.map((f) => ({ ...f, mletFactors: factors })),
});

const usageMessage = (f: () => unknown): string => thrownUsageError(f).message;

describe('MLET factor decisions', () => {
  it('are a decision after dim and normAlpha only when more than one factor is listed', () => {
    const base = decisionsOf(TOY_CHOICES);
    expect(decisionsOf(withFactors([0]))).toEqual(base);
    expect(decisionsOf(withFactors([4]))).toEqual(base);
    const searched = decisionsOf({
      fields: [
        { name: 'user', dims: [0, 8], normBudgets: [0], mletFactors: [0, 2, 4] },
        { name: 'item', dims: [4], normBudgets: [0] },
      ],
    });
    expect(searched.map((d) => `${d.field}.${d.key}`)).toEqual([
      'user.dim',
      'user.normAlpha',
      'user.mletFactor',
      'item.dim',
      'item.normAlpha',
    ]);
    const p = proposalFrom(searched, [1, 0, 2, 0, 0]);
    expect(p).toEqual({
      fields: [
        { name: 'user', dim: 8, normAlpha: 0, mletFactor: 4 },
        { name: 'item', dim: 4, normAlpha: 0 },
      ],
    });
    expect(indicesOf(searched, p)).toEqual([1, 0, 2, 0, 0]);
    expect(() => indicesOf(searched, { fields: [{ name: 'user', dim: 8, normAlpha: 0 }, p.fields[1]] })).toThrow(
      /user\.mletFactor = missing/,
    );
  });

  it('checks the listed factors like any candidate list', () => {
    const one = (mletFactors: number[]) => () =>
      decisionsOf({ fields: [{ name: 'user', dims: [4], normBudgets: [0], mletFactors }] });
    expect(usageMessage(one([0, 1.5]))).toMatch(/features\.mletFactors of field "user" has the invalid value 1\.5/);
    expect(usageMessage(one([2.5]))).toMatch(/invalid value 2\.5/);
    expect(usageMessage(one([2, 2]))).toMatch(/repeats a value/);
    expect(usageMessage(one([]))).toMatch(/is empty/);
  });

  it('leave proposal keys of unsearched proposals as they were, and tell factors apart when searched', () => {
    expect(proposalKey({ fields: [{ name: 'u', dim: 8, normAlpha: 1e-4 }] })).toBe('u:8:0.0001');
    const k = (m: number) => proposalKey({ fields: [{ name: 'u', dim: 8, normAlpha: 0, mletFactor: m }] });
    expect(k(2)).toBe('u:8:0:m2');
    expect(new Set([k(0), k(2), k(4), proposalKey({ fields: [{ name: 'u', dim: 8, normAlpha: 0 }] })]).size).toBe(4);
  });

  it.each(CONTROLLER_KINDS)('%s: an unsearched factor list changes no proposal and no state', (kind) => {
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
    expect(run(withFactors([0]))).toEqual(plain);
    expect(run(withFactors([8]))).toEqual(plain);
  });

  it.each(CONTROLLER_KINDS)('%s: searched factors appear in every proposal and survive a snapshot', (kind) => {
    const choices = withFactors([0, 2, 4]);
    const c = createController(kind, choices, { seed: 3, warmup: 2 });
    const seen = new Set<number>();
    for (let b = 0; b < 4; b++) {
      const ps = c.propose(3);
      for (const p of ps) for (const f of p.fields) seen.add(f.mletFactor!);
      c.observe(
        ps.map((proposal) => ({ proposal, reward: toyReward(proposal) - (proposal.fields[0].mletFactor ?? 0) })),
      );
    }
    expect([...seen].every((m) => [0, 2, 4].includes(m))).toBe(true);
    if (kind !== 'uniform') expect(seen.size).toBeGreaterThan(1);
    const restored = createController(kind, choices, { seed: 99, warmup: 2 });
    restored.setState(JSON.parse(JSON.stringify(c.getState())));
    expect(restored.propose(5).map(proposalKey)).toEqual(c.propose(5).map(proposalKey));
  });

  it('reinforce: shows the factor policy, and refuses a snapshot taken before the factor was searched', () => {
    const c = new ReinforceController(withFactors([0, 2]), { seed: 1 });
    const policy = c.policy();
    expect(policy[0].mletFactors?.map((x) => x.value)).toEqual([0, 2]);
    expect(policy[0].mletFactors?.[0].prob).toBeCloseTo(0.5, 10);
    expect(new ReinforceController(TOY_CHOICES, { seed: 1 }).policy()[0].mletFactors).toBeUndefined();
    const old = new ReinforceController(TOY_CHOICES, { seed: 1 }).getState();
    expect(usageMessage(() => c.setState(old))).toMatch(/does not match the search space/);
  });

  it('uniform: the common factors are the slowest axis of the sweep, on the fields that search them', () => {
    const c = new UniformController({
      fields: [
        { name: 'a', dims: [4, 8], normBudgets: [0], mletFactors: [0, 2, 4] },
        { name: 'b', dims: [4, 8], normBudgets: [0], mletFactors: [2, 0] },
        { name: 'c', dims: [4, 8], normBudgets: [0] },
      ],
    });
    const summary = c
      .propose(5)
      .map((p) => p.fields.map((f) => `${f.dim}${f.mletFactor === undefined ? '' : `x${f.mletFactor}`}`).join(' '));
    expect(summary).toEqual(['4x0 4x0 4', '8x0 8x0 8', '4x2 4x2 4', '8x2 8x2 8', '4x0 4x0 4']);
  });
});

describe('MLET factors from space to trial config', () => {
  const dataset = tinyDataset();
  const space = (features: string) =>
    parseSpace(`data: { format: synthetic }\nfeatures: ${features}\nreward: { budgetMB: 1 }\n`, 'space.yaml').space;

  it('passes a searched factor through, applies a single factor > 0, and leaves a single 0 out', () => {
    const s = space(
      '{ dims: [4], mletFactors: [0, 2], fields: { item: { mletFactors: [4] }, noise: { mletFactors: [0] } } }',
    );
    expect(searchChoices(s, dataset, 'space.yaml').fields.map((f) => f.mletFactors)).toEqual([[0, 2], [4], [0]]);
    const proposal = {
      fields: [
        { name: 'user', dim: 4, normAlpha: 0, mletFactor: 2 },
        { name: 'item', dim: 4, normAlpha: 0 },
        { name: 'noise', dim: 4, normAlpha: 0 },
      ],
    };
    const config = trialConfig(proposal, s, 1);
    expect(config.fields).toEqual([
      { name: 'user', dim: 4, normAlpha: 0, mletFactor: 2 },
      { name: 'item', dim: 4, normAlpha: 0, mletFactor: 4 },
      { name: 'noise', dim: 4, normAlpha: 0 },
    ]);
    expect(trialConfig({ fields: [{ ...proposal.fields[0], mletFactor: 0 }] }, s, 1).fields[0].mletFactor).toBe(0);
  });

  it('runs a whole search with factors searched, the same with 1 or 2 workers', async () => {
    const text = `data: { format: synthetic }\nfeatures: { dims: [0, 4], mletFactors: [0, 2] }\nreward: { budgetMB: 1 }\nsearch: { controller: random, trials: 8, seed: 2, batch: 4 }\n`;
    const run = async (workers: number) => {
      const { store, id, space: s, runner } = fakeSearch(text, { dataset });
      const controller = createController('random', searchChoices(s, dataset, 'space.yaml'), { seed: 2 });
      const trials = new FakeTrials();
      await runner({ controller, trials, workers }).run();
      return {
        stored: store.core.listTrials(id, { orderBy: 'number' }).map((t) => t.config.fields),
        trained: trials.trained,
      };
    };
    const one = await run(1);
    expect(one.stored).toHaveLength(8);
    expect(one.stored.every((fields) => fields.every((f) => f.mletFactor === 0 || f.mletFactor === 2))).toBe(true);
    expect(new Set(one.stored.flat().map((f) => f.mletFactor)).size).toBe(2);
    expect(one.trained.every((c) => c.fields.every((f) => f.mletFactor !== undefined))).toBe(true);
    expect((await run(2)).stored).toEqual(one.stored);
  });
});
