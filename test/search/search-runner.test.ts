import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { createController } from '../../src/controllers/index.js';
import { searchChoices } from '../../src/search/trial-plan.js';
import type { SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';
import { openSqliteStore } from '../../src/store/index.js';
import { fakeSearch } from './fake-search.js';
import { FakeTrials } from './fake-trials.js';

const SPACE = `
data: { format: synthetic }
features: { dims: [0, 2, 4, 8], normBudgets: [0, 0.001] }
reward: { form: hinge, budgetMB: 0.004, lambda: 0.1 }
search: { controller: reinforce, trials: 14, seed: 5, batch: 4, reinforce: { warmup: 4 } }
`;

function setup(spaceText = SPACE, store?: SqliteTrialStore, searchId?: number) {
  const { store: st, id, space, dataset, runner } = fakeSearch(spaceText, { store, searchId });
  const controller = createController(space.search.controller, searchChoices(space, dataset, 'space.yaml'), {
    seed: space.search.seed,
    ...space.search.reinforce,
  });
  const trials = new FakeTrials();
  const make = (workers: number) => runner({ controller, trials, workers });
  return { store: st, id, trials, make };
}

function outcome(store: SqliteTrialStore, id: number) {
  return store.core
    .listTrials(id, { orderBy: 'number' })
    .map((t) => ({ n: t.number, status: t.status, seed: t.seed, fields: t.config.fields, reward: t.reward }));
}

describe('SearchRunner', () => {
  it('gives the same trials, seeds and rewards with 1 or 2 workers', async () => {
    const a = setup();
    await a.make(1).run();
    const b = setup();
    await b.make(2).run();
    const one = outcome(a.store, a.id);
    expect(one).toHaveLength(14);
    expect(one.map((t) => t.n)).toEqual([...Array(14).keys()]);
    expect(outcome(b.store, b.id)).toEqual(one);
  });

  it('resumes a stopped search to exactly the results of an uninterrupted one', async () => {
    const ref = setup();
    await ref.make(2).run();

    const first = setup();
    const runner = first.make(2);
    first.trials.beforeFinish = (_c, index) => {
      if (index === 5) runner.stop();
    };
    expect((await runner.run()).status).toBe('stopped');
    const finishedBefore = first.store.core.listTrials(first.id, { status: ['completed', 'failed'] });
    const partial = finishedBefore.length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(14);
    // What a resume does first: trials aborted while running go back to the queue.
    first.store.core.recoverInterrupted(first.id);

    const second = setup(SPACE, first.store, first.id);
    expect((await second.make(1).run()).status).toBe('finished');
    expect(outcome(first.store, first.id)).toEqual(outcome(ref.store, ref.id));
    // Nothing finished before the stop was trained again (seeds are unique per trial number).
    const seedsBefore = new Set(finishedBefore.map((t) => t.seed));
    expect(second.trials.trained.length).toBeGreaterThan(0);
    for (const c of second.trials.trained) expect(seedsBefore.has(c.seed)).toBe(false);
  });

  it('gives the same trials for a budget reached at once or raised on resume, whatever the batches', async () => {
    const space24 = SPACE.replace('trials: 14', 'trials: 24');
    const ref = setup(space24);
    await ref.make(2).run();
    for (const steps of [
      [10, 24],
      [2, 13, 24],
      [5, 6, 7, 24],
    ]) {
      const store = openSqliteStore(':memory:');
      let id: number | undefined;
      for (const budget of steps) {
        const s = setup(space24, store, id);
        id = s.id;
        store.core.setBudget(id, budget);
        expect((await s.make(budget % 2 === 0 ? 1 : 2).run()).status).toBe('finished');
        expect(store.core.listTrials(id).map((t) => t.number)).toEqual([...Array(budget).keys()]);
      }
      expect(outcome(store, id!), `budgets ${steps.join(' → ')}`).toEqual(outcome(ref.store, ref.id));
    }
  });

  it('answers a repeated proposal from the store instead of training it again', async () => {
    const tiny = SPACE.replace('dims: [0, 2, 4, 8], normBudgets: [0, 0.001]', 'dims: [2, 4], normBudgets: [0]');
    const s = setup(tiny);
    await s.make(2).run();
    const all = s.store.core.listTrials(s.id, { orderBy: 'number' });
    const hits = all.filter((t) => t.cacheHit);
    expect(all).toHaveLength(14);
    expect(hits.length).toBeGreaterThan(0); // 8 distinct configs, 14 trials
    expect(s.trials.trained.length).toBe(14 - hits.length);
    for (const h of hits) {
      const original = all.find((t) => !t.cacheHit && t.configKey === h.configKey)!;
      expect(h.result?.validAuc).toBe(original.result?.validAuc);
    }
  });

  it('answers a configuration repeated within a batch the same way with 1 or 2 workers', async () => {
    // 2 configurations in all, batches of 4: most batches repeat one, often while its first occurrence still trains.
    const two = SPACE.replace(
      'dims: [0, 2, 4, 8], normBudgets: [0, 0.001]',
      'dims: [2, 4], normBudgets: [0], fields: { item: { dims: [4] }, noise: { dims: [4] } }',
    );
    const runs = await Promise.all(
      [1, 2].map(async (workers) => {
        const s = setup(two.replace('controller: reinforce', 'controller: random'));
        await s.make(workers).run();
        return s.store.core
          .listTrials(s.id, { orderBy: 'number' })
          .map((t) => ({ n: t.number, hit: t.cacheHit, reward: t.reward }));
      }),
    );
    expect(runs[0].filter((t) => t.hit).length).toBeGreaterThan(0);
    expect(runs[1]).toEqual(runs[0]);
  });

  it('never trains a configuration over the budget under the budget reward form', async () => {
    const s = setup(SPACE.replace('form: hinge', 'form: budget'));
    await s.make(2).run();
    const over = s.store.core.listTrials(s.id, { status: 'failed' });
    expect(over.length).toBeGreaterThan(0);
    for (const t of over) expect(t.error).toMatch(/^over budget/);
    const trainedKeys = new Set(s.trials.trained.map((c) => JSON.stringify(c.fields)));
    for (const t of over) expect(trainedKeys.has(JSON.stringify(t.config.fields))).toBe(false);
  });

  it('stops with a clear error when every trial fails', async () => {
    const s = setup();
    s.trials.failWhen = () => 'boom: the engine refused';
    const error = await s
      .make(2)
      .run()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(UsageError);
    // The hint names what works: resume for fixed data, a new search for a fixed space (a resume keeps its space).
    expect((error as UsageError).toLine()).toMatch(
      /boom: the engine refused.*embnas resume.*embnas run <space> --name/,
    );
    await expect(setup().make(1).run()).resolves.toMatchObject({ status: 'finished' });
    expect(s.store.core.listTrials(s.id, { status: 'failed' }).length).toBeLessThanOrEqual(4);
  });
});
