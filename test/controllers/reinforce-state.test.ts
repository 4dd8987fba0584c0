/**
 * What makes a reinforce search exactly resumable and worker-count independent: the snapshot round trip, the same
 * search however a batch's observations are split, a bounded history, and a clear refusal of older snapshots.
 */
import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { proposalKey } from '../../src/controllers/controller.js';
import { ReinforceController, type ReinforceState } from '../../src/controllers/reinforce.js';
import { TOY_CHOICES, toyReward } from './toy-objective.js';

const observed = (c: ReinforceController, n: number) =>
  c.propose(n).map((proposal) => ({ proposal, reward: toyReward(proposal) }));

describe('reinforce snapshot', () => {
  it('round-trips through JSON after learning: identical next proposals and next updates', () => {
    const a = new ReinforceController(TOY_CHOICES, { seed: 21 });
    for (let i = 0; i < 10; i++) a.observe(observed(a, 4));
    const b = new ReinforceController(TOY_CHOICES, { seed: 0 });
    b.setState(JSON.parse(JSON.stringify(a.getState())) as ReinforceState);
    for (let i = 0; i < 5; i++) {
      const pa = observed(a, 4);
      const pb = observed(b, 4);
      expect(pb.map((o) => proposalKey(o.proposal))).toEqual(pa.map((o) => proposalKey(o.proposal)));
      a.observe(pa);
      b.observe(pb);
    }
    expect(b.getState()).toEqual(a.getState());
  });

  it('gives the same search however the observations of a batch are split', () => {
    const runs = [[4], [1, 3], [2, 2], [1, 1, 1, 1], [3, 1]].map((split) => {
      const c = new ReinforceController(TOY_CHOICES, { seed: 8 });
      for (let batch = 0; batch < 8; batch++) {
        const obs = observed(c, 4);
        let at = 0;
        for (const n of split) c.observe(obs.slice(at, (at += n)));
      }
      return { state: c.getState(), next: c.propose(8).map(proposalKey) };
    });
    for (const r of runs.slice(1)) {
      expect(r.state).toEqual(runs[0].state);
      expect(r.next).toEqual(runs[0].next);
    }
    expect(runs[0].state.updates).toBe(8);
  });

  it('keeps at most `history` observations, as small integers and 4-digit probabilities', () => {
    const c = new ReinforceController(TOY_CHOICES, { seed: 3, history: 10 });
    for (let i = 0; i < 10; i++) c.observe(observed(c, 4));
    const { history } = c.getState();
    expect(history.rewards).toHaveLength(10);
    expect(history.picks.flat().every((k) => Number.isInteger(k) && k >= 0 && k < 6)).toBe(true);
    expect(history.probs.flat().every((p) => Number(p.toPrecision(4)) === p)).toBe(true);
  });

  it('refuses a version-1 snapshot with one line saying to start a new search', () => {
    const old = { ...new ReinforceController(TOY_CHOICES, { seed: 1 }).getState(), version: 1 };
    let caught: unknown;
    try {
      new ReinforceController(TOY_CHOICES, { seed: 1 }).setState(old as unknown as ReinforceState);
    } catch (e) {
      caught = e;
    }
    expect(isUsageError(caught)).toBe(true);
    const line = (caught as { toLine(): string }).toLine();
    expect(line).toMatch(/version 1.*start a new search/);
    expect(line).not.toContain('\n');
  });
});
