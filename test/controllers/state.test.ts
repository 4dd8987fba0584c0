import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import type { Controller, ControllerState } from '../../src/controllers/controller.js';
import { proposalKey } from '../../src/controllers/controller.js';
import { CONTROLLER_KINDS, createController } from '../../src/controllers/create-controller.js';
import { TOY_CHOICES, toyReward } from './toy-objective.js';

/** Proposes and observes a few batches so every piece of state (RNG, counters, logits, baseline) has moved. */
function advance(c: Controller, batches: number, batch = 3): void {
  for (let i = 0; i < batches; i++) {
    c.observe(c.propose(batch).map((proposal) => ({ proposal, reward: toyReward(proposal) })));
  }
}

const keys = (c: Controller, n: number) => c.propose(n).map(proposalKey);

describe.each(CONTROLLER_KINDS)('%s controller state', (kind) => {
  const make = (seed = 11) => createController(kind, TOY_CHOICES, { seed, warmup: 4 });

  it('restores exactly: a fresh controller given the snapshot proposes and learns identically', () => {
    const original = make();
    advance(original, 5);
    // Through JSON, as the store keeps it.
    const snapshot = JSON.parse(JSON.stringify(original.getState())) as ControllerState;
    const restored = make(999);
    restored.setState(snapshot);
    expect(restored.getState()).toEqual(original.getState());
    expect(keys(restored, 7)).toEqual(keys(original, 7));
    advance(original, 3);
    advance(restored, 3);
    expect(keys(restored, 7)).toEqual(keys(original, 7));
  });

  it('setState(getState()) on the same instance changes nothing', () => {
    const a = make();
    const b = make();
    advance(a, 4);
    advance(b, 4);
    a.setState(a.getState());
    expect(keys(a, 10)).toEqual(keys(b, 10));
  });

  it('the snapshot is a copy: mutating it does not touch the controller', () => {
    const c = make();
    advance(c, 3);
    const before = JSON.stringify(c.getState());
    const s = c.getState() as unknown as Record<string, unknown>;
    s.proposed = 12345;
    expect(JSON.stringify(c.getState())).toBe(before);
  });

  it('same seed gives the same proposals', () => {
    const a = make(3);
    const b = make(3);
    advance(a, 4);
    advance(b, 4);
    expect(keys(a, 20)).toEqual(keys(b, 20));
  });

  it('rejects a snapshot of another kind as a bug', () => {
    const other = CONTROLLER_KINDS.find((k) => k !== kind)!;
    const snapshot = createController(other, TOY_CHOICES, { seed: 1 }).getState();
    expect(() => make().setState(snapshot)).toThrow(/snapshot/);
  });
});

describe('controller state across seeds and spaces', () => {
  it('different seeds give different proposals (reinforce, random)', () => {
    for (const kind of ['reinforce', 'random'] as const) {
      const a = createController(kind, TOY_CHOICES, { seed: 1 });
      const b = createController(kind, TOY_CHOICES, { seed: 2 });
      expect(keys(a, 10)).not.toEqual(keys(b, 10));
    }
  });

  it('a reinforce snapshot from another space is the user’s mistake', () => {
    const snapshot = createController('reinforce', TOY_CHOICES, { seed: 1 }).getState();
    const changed = { fields: TOY_CHOICES.fields.map((f, i) => (i === 0 ? { ...f, dims: [0, 4, 8] } : f)) };
    let caught: unknown;
    try {
      createController('reinforce', changed, { seed: 1 }).setState(snapshot);
    } catch (e) {
      caught = e;
    }
    expect(isUsageError(caught)).toBe(true);
  });

  it('an unknown controller name is the user’s mistake', () => {
    let caught: unknown;
    try {
      createController('bayes' as never, TOY_CHOICES, { seed: 1 });
    } catch (e) {
      caught = e;
    }
    expect(isUsageError(caught)).toBe(true);
    expect((caught as Error).message).toContain('search.controller');
  });
});
