/** Multi-size blocks and the vocabulary cut as searched per-field settings: decisions, keys, controllers, trial configs. */
import { describe, expect, it } from 'vitest';
import { proposalKey, type SearchChoices } from '../../src/controllers/controller.js';
import { CONTROLLER_KINDS, createController } from '../../src/controllers/create-controller.js';
import { decisionsOf, indicesOf, proposalFrom } from '../../src/controllers/decisions.js';
import { ReinforceController } from '../../src/controllers/reinforce.js';
import { UniformController } from '../../src/controllers/uniform.js';
import { searchChoices, trialConfig } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';
import { isUsageError, type UsageError } from '../../src/errors.js';
import { TOY_CHOICES, toyReward } from '../controllers/toy-objective.js';
import { tinyDataset } from './fake-trials.js';

const withBlocks = (blockDims: number[], vocabKeep: number[] = [1]): SearchChoices => ({
  fields: TOY_CHOICES.fields.map((f) => ({ ...f, vocabKeep, blocks: [0.2, 0.3, 0.5], blockDims })),
});

describe('multi-size decisions', () => {
  it('add a keep decision and one block-dim decision per later block, only when they offer a choice', () => {
    const base = decisionsOf(TOY_CHOICES);
    expect(decisionsOf({ fields: TOY_CHOICES.fields.map((f) => ({ ...f, vocabKeep: [1] })) })).toEqual(base);
    expect(decisionsOf(withBlocks([2]))).toEqual(base); // one candidate: applied, not searched
    const searched = decisionsOf({
      fields: [
        {
          name: 'user',
          dims: [4, 8],
          normBudgets: [0],
          vocabKeep: [1, 0.5],
          blocks: [0.1, 0.4, 0.5],
          blockDims: [0, 2, 8],
        },
        { name: 'item', dims: [4], normBudgets: [0], vocabKeep: [1] },
      ],
    });
    expect(searched.map((d) => `${d.field}.${d.key}${d.block ?? ''}`)).toEqual([
      'user.dim',
      'user.normAlpha',
      'user.keep',
      'user.blockDim1',
      'user.blockDim2',
      'item.dim',
      'item.normAlpha',
    ]);
    const p = proposalFrom(searched, [1, 0, 1, 2, 0, 0, 0]);
    expect(p).toEqual({
      fields: [
        { name: 'user', dim: 8, normAlpha: 0, keep: 0.5, blockDims: [8, 0] },
        { name: 'item', dim: 4, normAlpha: 0 },
      ],
    });
    expect(indicesOf(searched, p)).toEqual([1, 0, 1, 2, 0, 0, 0]);
    expect(proposalKey(p)).toBe('user:8:0:k0.5:b8/0|item:4:0');
  });

  it.each(CONTROLLER_KINDS)('%s: searched block dims appear in every proposal and survive a snapshot', (kind) => {
    const choices = withBlocks([0, 1, 4], [1, 0.5]);
    const c = createController(kind, choices, { seed: 3, warmup: 2 });
    const seen = new Set<string>();
    for (let b = 0; b < 4; b++) {
      const ps = c.propose(3);
      for (const p of ps) for (const f of p.fields) seen.add(`${f.blockDims!.join('/')} ${f.keep}`);
      c.observe(ps.map((proposal) => ({ proposal, reward: toyReward(proposal) })));
    }
    if (kind === 'uniform')
      expect([...seen]).toEqual(['4/4 1']); // the largest candidates: "the same table everywhere"
    else expect(seen.size).toBeGreaterThan(2);
    const restored = createController(kind, choices, { seed: 99, warmup: 2 });
    restored.setState(JSON.parse(JSON.stringify(c.getState())));
    expect(restored.propose(5).map(proposalKey)).toEqual(c.propose(5).map(proposalKey));
  });

  it('reinforce shows a policy per later block and for the cut', () => {
    const policy = new ReinforceController(withBlocks([0, 2], [1, 0.25]), { seed: 1 }).policy();
    expect(policy[0].blockDims?.map((l) => l.map((x) => x.value))).toEqual([
      [0, 2],
      [0, 2],
    ]);
    expect(policy[0].vocabKeep?.map((x) => x.value)).toEqual([1, 0.25]);
    expect(new UniformController(withBlocks([0, 2])).propose(1)[0].fields[0].blockDims).toEqual([2, 2]);
  });
});

describe('multi-size from space to trial config', () => {
  const dataset = tinyDataset();
  const space = (features: string) =>
    parseSpace(`data: { format: synthetic }\nfeatures: ${features}\nreward: { budgetMB: 1 }\n`, 'space.yaml').space;

  it('builds blocks with the field dim first and later dims clamped to it, and a cut below 1', () => {
    const s = space(
      '{ dims: [0, 4, 8], blocks: [0.1, 0.4, 0.5], blockDims: [0, 2, 16], vocabKeep: [0.5], fields: { noise: { vocabKeep: [1] } } }',
    );
    const choices = searchChoices(s, dataset, 'space.yaml');
    expect(choices.fields[0]).toMatchObject({ blocks: [0.1, 0.4, 0.5], blockDims: [0, 2, 16], vocabKeep: [0.5] });
    const config = trialConfig(
      {
        fields: [
          { name: 'user', dim: 4, normAlpha: 0, blockDims: [16, 0] },
          { name: 'item', dim: 0, normAlpha: 0, blockDims: [2, 2] },
          { name: 'noise', dim: 8, normAlpha: 0, blockDims: [2, 0] },
        ],
      },
      s,
      1,
    );
    expect(config.fields).toEqual([
      { name: 'user', dim: 4, normAlpha: 0, keep: 0.5, blocks: { fractions: [0.1, 0.4, 0.5], dims: [4, 4, 0] } },
      { name: 'item', dim: 0, normAlpha: 0 },
      { name: 'noise', dim: 8, normAlpha: 0, blocks: { fractions: [0.1, 0.4, 0.5], dims: [8, 2, 0] } },
    ]);
    // no blocks in the space: a plain table, whatever else is set
    expect(
      trialConfig({ fields: [{ name: 'user', dim: 4, normAlpha: 0 }] }, space('{ dims: [4] }'), 1).fields[0],
    ).toEqual({ name: 'user', dim: 4, normAlpha: 0 });
  });

  it('refuses fractions that do not sum to 1 and a field that enables two techniques, naming the key', () => {
    expect(() => space('{ blocks: [0.5, 0.4] }')).toThrow(/features\.blocks.*sum to 1/);
    expect(() => space('{ vocabKeep: [0, 1] }')).toThrow(/features\.vocabKeep/);
    const both = space('{ dims: [4], blocks: [0.5, 0.5], fields: { item: { mletFactors: [0, 2] } } }');
    const err = (() => {
      try {
        searchChoices(both, dataset, 'space.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(isUsageError(err)).toBe(true);
    expect((err as Error).message).toMatch(
      /space\.yaml: features \(with features\.fields\.item\): field "item" enables both mletFactors and blocks\/vocabKeep/,
    );
    // the hint names every technique of the registry by the key that turns it on
    expect((err as UsageError).hint).toMatch(/use one of mletFactors, resClusters or blocks\/vocabKeep per field/);
  });
});
