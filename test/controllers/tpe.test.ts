/** The TPE controller: start-up proposals, the l/g choice, its policy, its options and its snapshot. */
import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import type { Proposal, SearchChoices } from '../../src/controllers/controller.js';
import { proposalKey } from '../../src/controllers/controller.js';
import { RandomController } from '../../src/controllers/random.js';
import { TpeController, type TpeState } from '../../src/controllers/tpe.js';
import { TOY_CHOICES, toyReward } from './toy-objective.js';

const keys = (ps: Proposal[]) => ps.map(proposalKey);
const ONE_FIELD: SearchChoices = { fields: [{ name: 'user', dims: [0, 2, 4], normBudgets: [0] }] };
const at = (dim: number, reward: number) => ({ proposal: { fields: [{ name: 'user', dim, normAlpha: 0 }] }, reward });
// γ(4) = 1: trial 1 (dim 2) is the good group, so l = [4/15, 7/15, 4/15]; the rest is one of each dim, g uniform.
const HISTORY = [at(0, 0.3), at(2, 0.9), at(4, 0.5), at(2, 0.8)];

function caught(f: () => void): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('tpe controller', () => {
  it('proposes uniformly at random until startupTrials observations exist', () => {
    const tpe = new TpeController(TOY_CHOICES, { seed: 4 });
    const random = new RandomController(TOY_CHOICES, { seed: 4 });
    const score = (ps: Proposal[]) => ps.map((proposal) => ({ proposal, reward: toyReward(proposal) }));
    // With 9 observations in, still the very draws of random search with the same seed.
    const start = tpe.propose(9);
    expect(keys(start)).toEqual(keys(random.propose(9)));
    tpe.observe(score(start));
    const tenth = tpe.propose(1);
    expect(keys(tenth)).toEqual(keys(random.propose(1)));
    // The 10th observation switches to the estimators: the draws part ways.
    tpe.observe(score(tenth));
    expect(keys(tpe.propose(8))).not.toEqual(keys(random.propose(8)));
  });

  it('draws candidates from l and keeps the best l/g', () => {
    // Every proposal from the same densities (no liar) and repeats allowed: one proposal's choice, 40 times over.
    const alone = { constantLiar: false, distinct: false };
    const many = new TpeController(ONE_FIELD, { seed: 1, startupTrials: 4, candidates: 50, ...alone });
    many.observe(HISTORY);
    // l/g is 7/5 for dim 2 and 4/5 otherwise; 50 draws from l miss dim 2 with probability (8/15)^50 ≈ 2e-14.
    expect(new Set(many.propose(40).map((p) => p.fields[0].dim))).toEqual(new Set([2]));
    // One candidate: proposals follow l itself.
    const one = new TpeController(ONE_FIELD, { seed: 1, startupTrials: 4, candidates: 1, ...alone });
    one.observe(HISTORY);
    const dims = one.propose(3000).map((p) => p.fields[0].dim);
    const share = (d: number) => dims.filter((x) => x === d).length / dims.length;
    expect(share(2)).toBeCloseTo(7 / 15, 1);
    expect(share(0)).toBeCloseTo(4 / 15, 1);
  });

  it('shows l as its policy, uniform before the start-up trials are in', () => {
    const c = new TpeController(ONE_FIELD, { seed: 1, startupTrials: 4 });
    c.observe(HISTORY.slice(0, 3));
    expect(c.policy()[0].dims.map((d) => d.prob)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    c.observe(HISTORY.slice(3));
    const [policy] = c.policy();
    expect(policy.dims.map((d) => d.value)).toEqual([0, 2, 4]);
    policy.dims.forEach((d, i) => expect(d.prob).toBeCloseTo([4 / 15, 7 / 15, 4 / 15][i], 12));
    expect(policy.normBudgets).toEqual([{ value: 0, prob: 1 }]);
    expect(new TpeController(TOY_CHOICES, { seed: 1 }).policy().map((f) => f.field)).toEqual(
      TOY_CHOICES.fields.map((f) => f.name),
    );
  });

  it('restores exactly from its snapshot, through JSON', () => {
    const a = new TpeController(TOY_CHOICES, { seed: 8 });
    for (let i = 0; i < 5; i++) a.observe(a.propose(4).map((proposal) => ({ proposal, reward: toyReward(proposal) })));
    const b = new TpeController(TOY_CHOICES, { seed: 99 });
    b.setState(JSON.parse(JSON.stringify(a.getState())) as TpeState);
    expect(b.getState()).toEqual(a.getState());
    const next = a.propose(4);
    expect(keys(b.propose(4))).toEqual(keys(next));
    a.observe(next.map((proposal) => ({ proposal, reward: toyReward(proposal) })));
    b.observe(next.map((proposal) => ({ proposal, reward: toyReward(proposal) })));
    expect(keys(b.propose(6))).toEqual(keys(a.propose(6)));
    expect(a.getState().history).toHaveLength(24);
  });

  it('refuses a snapshot of another space as the user’s mistake, and a malformed one as a bug', () => {
    const source = new TpeController(TOY_CHOICES, { seed: 1 });
    source.observe(source.propose(3).map((proposal) => ({ proposal, reward: 0 })));
    const snapshot = source.getState();
    const changed = { fields: TOY_CHOICES.fields.map((f, i) => (i === 0 ? { ...f, dims: [0, 4, 8] } : f)) };
    expect(isUsageError(caught(() => new TpeController(changed, { seed: 1 }).setState(snapshot)))).toBe(true);
    const outOfRange = { ...snapshot, history: [{ picks: snapshot.history[0].picks.map(() => 7), reward: 0 }] };
    expect(isUsageError(caught(() => new TpeController(TOY_CHOICES, { seed: 1 }).setState(outOfRange)))).toBe(true);
    const pendingOut = { ...snapshot, pending: [snapshot.history[0].picks.map(() => 7)] };
    expect(isUsageError(caught(() => new TpeController(TOY_CHOICES, { seed: 1 }).setState(pendingOut)))).toBe(true);
    const malformed = caught(() =>
      new TpeController(TOY_CHOICES, { seed: 1 }).setState({ ...snapshot, pending: undefined } as never),
    );
    expect(malformed).toBeInstanceOf(Error);
    expect(isUsageError(malformed)).toBe(false);
  });

  it('names the search.tpe key of a bad option in one line', () => {
    for (const [key, value] of [
      ['startupTrials', -1],
      ['candidates', 0],
      ['candidates', 2.5],
      ['priorWeight', 0],
      ['constantLiar', 'yes'],
      ['distinct', 1],
    ] as const) {
      const e = caught(() => new TpeController(TOY_CHOICES, { seed: 1, [key]: value }));
      expect(isUsageError(e)).toBe(true);
      expect((e as Error).message).toContain(`search.tpe.${key}`);
    }
    expect(new TpeController(TOY_CHOICES, { seed: 1, startupTrials: 0 }).options).toEqual({
      startupTrials: 0,
      candidates: 24,
      priorWeight: 1,
      constantLiar: true,
      distinct: true,
    });
  });
});
