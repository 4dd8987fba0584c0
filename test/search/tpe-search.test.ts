/**
 * A search with controller: tpe through the real search loop and store (trials are faked): the space's search.tpe
 * reaches the controller, its snapshot lands in the store, and the determinism contracts hold past the start-up trials.
 */
import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { createController } from '../../src/controllers/index.js';
import type { TpeController, TpeState } from '../../src/controllers/tpe.js';
import { LiveView } from '../../src/search/live-view.js';
import { searchChoices } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';
import type { SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';
import { fakeSearch } from './fake-search.js';
import { FakeTrials } from './fake-trials.js';

const SPACE = `
data: { format: synthetic }
features: { dims: [0, 2, 4, 8], normBudgets: [0, 0.001] }
reward: { form: hinge, budgetMB: 0.004, lambda: 0.1 }
search: { controller: tpe, trials: 20, seed: 9, batch: 4, tpe: { startupTrials: 8, candidates: 12 } }
`;

function setup(store?: SqliteTrialStore, searchId?: number, spaceText = SPACE) {
  const { store: st, id, space, dataset, runner } = fakeSearch(spaceText, { store, searchId });
  const options = { seed: space.search.seed, ...space.search.reinforce, ...space.search.tpe };
  const controller = createController(space.search.controller, searchChoices(space, dataset, 'space.yaml'), options);
  const trials = new FakeTrials();
  const make = (workers: number) => runner({ controller, trials, workers });
  return { store: st, id, trials, make, controller };
}

const outcome = (store: SqliteTrialStore, id: number) =>
  store.core
    .listTrials(id, { orderBy: 'number' })
    .map((t) => ({ n: t.number, status: t.status, key: t.configKey, hit: t.cacheHit, reward: t.reward }));

describe('a tpe search', () => {
  it('passes search.tpe to the controller and stores its history with the results', async () => {
    const s = setup();
    expect(s.controller.kind).toBe('tpe');
    expect((s.controller as unknown as { options: object }).options).toEqual({
      startupTrials: 8,
      candidates: 12,
      priorWeight: 1,
      constantLiar: true,
      distinct: true,
    });
    expect((await s.make(2).run()).status).toBe('finished');
    const snapshot = s.store.core.latestSnapshot(s.id)!.state as TpeState;
    expect(snapshot.kind).toBe('tpe');
    expect(snapshot.history.map((h) => h.reward)).toEqual(outcome(s.store, s.id).map((t) => t.reward));
    // The policy panel reads l(x): each field's most likely dim and its probability.
    const view = new LiveView({
      name: 's',
      spaceFile: 'space.yaml',
      seed: 9,
      controller: 'tpe',
      backend: 'cpu',
      trialsDone: 20,
      trialsTotal: 20,
    });
    view.batchObserved(s.controller);
    const policy = (s.controller as TpeController).policy();
    expect(view.view.policy.map((p) => p.field)).toEqual(policy.map((p) => p.field));
    view.view.policy.forEach((p, i) => expect(p.dimProb).toBe(Math.max(...policy[i].dims.map((d) => d.prob))));
    expect(view.view.policy.some((p) => p.dimProb > 1 / 4)).toBe(true); // 4 dims: not the uniform start any more
  });

  it('refuses a misspelt or out-of-range search.tpe key in the space, naming it', () => {
    for (const [tpe, key] of [
      ['{ candidate: 3 }', 'search.tpe.candidate'],
      ['{ priorWeight: 0 }', 'search.tpe.priorWeight'],
    ]) {
      let caught: unknown;
      try {
        parseSpace(SPACE.replace('tpe: { startupTrials: 8, candidates: 12 }', `tpe: ${tpe}`), 'space.yaml');
      } catch (e) {
        caught = e;
      }
      expect(isUsageError(caught)).toBe(true);
      expect((caught as Error).message).toContain(key);
    }
  });

  it('gives the same trials with 1 or 2 workers, and resumes to exactly the uninterrupted search', async () => {
    const one = setup();
    await one.make(1).run();
    const two = setup();
    await two.make(2).run();
    expect(outcome(two.store, two.id)).toEqual(outcome(one.store, one.id));

    const first = setup();
    const runner = first.make(2);
    first.trials.beforeFinish = (_c, index) => {
      if (index === 9) runner.stop();
    };
    expect((await runner.run()).status).toBe('stopped');
    // Stopped in a batch past the 8 start-up trials: the restored snapshot holds a history the estimators use.
    expect(first.store.core.latestSnapshot(first.id)!.step).toBeGreaterThanOrEqual(8);
    expect(first.store.core.listTrials(first.id, { status: ['completed', 'failed'] }).length).toBeLessThan(20);
    first.store.core.recoverInterrupted(first.id);
    expect((await setup(first.store, first.id).make(1).run()).status).toBe('finished');
    expect(outcome(first.store, first.id)).toEqual(outcome(one.store, one.id));
  });

  it('trains 40 distinct configurations in 40 trials at batch 4, where a batch from the same densities repeats', async () => {
    // 3 fields, each dropped or at 3 dims × 2 norm budgets: 7³ = 343 configurations.
    const space = (tpe: string) =>
      SPACE.replace('trials: 20', 'trials: 40').replace('tpe: { startupTrials: 8, candidates: 12 }', `tpe: ${tpe}`);
    const trained = async (tpe: string) => {
      const s = setup(undefined, undefined, space(tpe));
      expect((await s.make(2).run()).status).toBe('finished');
      const trials = outcome(s.store, s.id);
      expect(trials).toHaveLength(40);
      return { distinct: new Set(trials.map((t) => t.key)).size, hits: trials.filter((t) => t.hit).length };
    };
    expect(await trained('{}')).toEqual({ distinct: 40, hits: 0 });
    const before = await trained('{ constantLiar: false, distinct: false }');
    expect(before.distinct).toBeLessThan(30);
    expect(before.hits).toBe(40 - before.distinct);
  });
});
