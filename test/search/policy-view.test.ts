/**
 * The policy as the screen gets it: a warm-up's uniform policy has no leader (not "dim 0"), a learnt one says how
 * settled it is, and a resumed search shows the policy restored from its snapshot before its first new trial ends.
 */
import { describe, expect, it } from 'vitest';
import { createController } from '../../src/controllers/index.js';
import { LiveView, policyView } from '../../src/search/live-view.js';
import { searchChoices } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';
import { policyTitle } from '../../src/tui/policy-panel.js';
import { fakeSearch } from './fake-search.js';
import { FakeTrials, tinyDataset } from './fake-trials.js';

const SPACE = `
data: { format: synthetic }
features: { dims: [0, 2, 4, 8], normBudgets: [0, 0.001] }
reward: { form: hinge, budgetMB: 0.004, lambda: 0.1 }
search: { controller: reinforce, trials: 16, seed: 5, batch: 4, reinforce: { warmup: 4 } }
`;

function setup() {
  const { space } = parseSpace(SPACE, 'space.yaml');
  const dataset = tinyDataset();
  const choices = searchChoices(space, dataset, 'space.yaml');
  const controller = () => createController('reinforce', choices, { seed: 5, ...space.search.reinforce });
  return { space, dataset, controller };
}

const view = () =>
  new LiveView({
    name: 's',
    spaceFile: 'space.yaml',
    seed: 5,
    controller: 'reinforce',
    backend: 'cpu',
    trialsDone: 0,
    trialsTotal: 16,
  });

describe('policy view', () => {
  it('a fresh controller ties every decision: a warm-up, 0 % settled, no leading dim', () => {
    const v = policyView(setup().controller().policy!());
    expect(v.policy.map((f) => [f.field, f.dimTied, f.normTied])).toEqual([
      ['user', true, true],
      ['item', true, true],
      ['noise', true, true],
    ]);
    expect(v.policySettled).toBeCloseTo(0, 12);
    expect(policyTitle(v, 80)).toBe('Policy: warm-up, sampling uniformly (nothing learnt yet)');
    expect(policyTitle(v, 30)).toBe('Policy: warm-up (uniform)');
  });

  it('after learning, leaders and how settled the policy is', async () => {
    const { controller } = setup();
    const { store, runner } = fakeSearch(SPACE);
    const live = view();
    await runner({ controller: controller(), trials: new FakeTrials(), workers: 1, listener: live }).run();
    const v = live.view;
    expect(v.policy.some((f) => !f.dimTied)).toBe(true);
    expect(v.policySettled).toBeGreaterThan(0);
    expect(v.policySettled).toBeLessThan(1);
    expect(policyTitle(v, 80)).toMatch(/^Policy: most likely dim and α per field, \d+% settled$/);
    store.core.close();
  });

  it('a resumed search shows the restored policy before its first new trial finishes', async () => {
    const { controller } = setup();
    const { store, id, runner } = fakeSearch(SPACE);
    const first = new FakeTrials();
    const stopped = runner({ controller: controller(), trials: first, workers: 1 });
    first.beforeFinish = (_c, index) => {
      if (index === 6) stopped.stop();
    };
    expect((await stopped.run()).status).toBe('stopped');
    store.core.recoverInterrupted(id);
    const snapshot = store.core.latestSnapshot(id)!;
    const restored = controller();
    restored.setState(snapshot.state as Parameters<typeof restored.setState>[0]);

    const live = view();
    const second = new FakeTrials();
    let seen: ReturnType<typeof policyView> | undefined;
    second.beforeFinish = () => {
      seen ??= { policy: live.view.policy, policySettled: live.view.policySettled };
    };
    await runner({ controller: controller(), trials: second, workers: 1, listener: live }).run();
    expect(seen).toEqual(policyView(restored.policy!()));
    expect(seen!.policy.some((f) => !f.dimTied)).toBe(true);
    store.core.close();
  });
});
