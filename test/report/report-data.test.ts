/** What the report says, from the store alone: series, Pareto front, best trial, the final policy, the one-shot curve. */
import { afterEach, describe, expect, it } from 'vitest';
import { decisionsOf, oneShotPolicy, settledShare } from '../../src/report/final-policy.js';
import { collectReport } from '../../src/report/report-data.js';
import { bestSoFar, trialPoints, type TrialPoint } from '../../src/report/trial-series.js';
import { proxyCurve } from '../../src/search/oneshot/oneshot-summary.js';
import type { SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';
import { PLAN, reportStore, rewardOf, SETTINGS } from './fixtures.js';

let store: SqliteTrialStore | undefined;
afterEach(() => store?.close());

describe('collectReport', () => {
  it('lists finished trials in order with AUC, memory, penalty and reward, failed ones without metrics', async () => {
    const r = reportStore();
    store = r.store;
    const data = await collectReport(r.store, 'rep', 0);
    expect(data.trials.map((t) => [t.number, t.status])).toEqual(
      PLAN.map((p) => [p.number, p.aucs ? 'completed' : 'failed']),
    );
    for (const t of data.trials.filter((x) => x.status === 'completed')) {
      const p = PLAN.find((x) => x.number === t.number)!;
      expect(t.reward).toBeCloseTo(rewardOf(p), 12);
      expect(t.auc! - t.penalty!).toBeCloseTo(t.reward!, 12); // reward = AUC − penalty
      expect(t.dims).toEqual(p.dims);
    }
    const failed = data.trials.find((t) => t.status === 'failed')!;
    expect([failed.auc, failed.memoryBytes, failed.penalty, failed.reward]).toEqual([null, null, null, null]);
  });

  it('runs best-so-far over the rewards and names the best trial by reward, as export does', async () => {
    const r = reportStore();
    store = r.store;
    const data = await collectReport(r.store, 'rep', 0);
    // Trial 1 has the highest AUC (0.78) but is over the budget: 0.78 − 0.1·(6000/4000 − 1) = 0.73 < 0.74 of trial 4.
    expect(data.best?.trial).toBe(4);
    expect(data.best?.penalty).toBe(0);
    expect(data.bestSoFar).toEqual([
      rewardOf(PLAN[0]),
      rewardOf(PLAN[1]),
      rewardOf(PLAN[1]),
      rewardOf(PLAN[1]),
      rewardOf(PLAN[4]),
    ]);
    expect(data.reward.formula).toBe('reward = AUC − 0.1·max(0, memory/0.004 MB − 1)');
  });

  it('puts the trials no other beats on both AUC and memory on the Pareto front, by memory', async () => {
    const r = reportStore();
    store = r.store;
    // 0 (3000 B, 0.70), 3 (3500 B, 0.69: dominated by 0), 4 (3900 B, 0.74), 1 (6000 B, 0.78).
    expect((await collectReport(r.store, 'rep', 0)).pareto).toEqual([0, 4, 1]);
  });

  it('keeps the per-epoch AUC of the best trials by reward, best first', async () => {
    const r = reportStore();
    store = r.store;
    const curves = (await collectReport(r.store, 'rep', 0)).epochCurves;
    expect(curves.map((c) => c.number)).toEqual([4, 1, 0, 3]);
    expect(curves[0].auc).toEqual([0.7, 0.72, 0.74]);
  });

  it('rebuilds the final policy from the controller snapshot, every decision with more than one candidate', async () => {
    const r = reportStore();
    store = r.store;
    const policy = (await collectReport(r.store, 'rep', 0)).policy!;
    expect(policy.decisions).toEqual(decisionsOf(r.controller.policy!()));
    expect(policy.decisions.map((d) => `${d.field} ${d.decision}`)).toEqual([
      'user dim',
      'user α',
      'item dim',
      'item α',
      'ctx dim',
      'ctx α',
    ]);
    expect(policy.source).toMatch(/reinforce controller after 5 observed trials/);
  });
});

const POINT: TrialPoint = {
  number: 0,
  status: 'completed',
  auc: 0.7,
  memoryBytes: 1000,
  penalty: 0,
  reward: 0,
  overBudget: false,
  cacheHit: false,
  dims: [4],
};

describe('series helpers', () => {
  it('best-so-far stays null until the first reward', async () => {
    const pts = trialPoints([], 'hinge', SETTINGS);
    expect(bestSoFar(pts)).toEqual([]);
    const fake = [null, 0.5, 0.4, 0.6].map((reward, number) => ({ ...POINT, number, reward }));
    expect(bestSoFar(fake)).toEqual([null, 0.5, 0.5, 0.6]);
  });

  it('settled share is 0 for a uniform choice, 1 for a certain one, in between otherwise', async () => {
    expect(
      settledShare([
        { value: 0, prob: 0.25 },
        { value: 1, prob: 0.25 },
        { value: 2, prob: 0.25 },
        { value: 3, prob: 0.25 },
      ]),
    ).toBeCloseTo(0, 12);
    expect(
      settledShare([
        { value: 0, prob: 0 },
        { value: 1, prob: 1 },
      ]),
    ).toBe(1);
    const mid = settledShare([
      { value: 0, prob: 0.9 },
      { value: 1, prob: 0.1 },
    ]);
    expect(mid).toBeGreaterThan(0.5);
    expect(mid).toBeLessThan(0.6); // 1 − H(0.9, 0.1)/ln 2 = 0.531
  });

  it('proxy curve: one point per round, its mean and best reward', async () => {
    const h = [
      { round: 1, step: 20, reward: 0.4 },
      { round: 0, step: 10, reward: 0.2 },
      { round: 0, step: 10, reward: 0.6 },
      { round: 1, step: 20, reward: 0.5 },
    ];
    const c = proxyCurve(h);
    expect(c.map((x) => [x.round, x.step, x.max])).toEqual([
      [0, 10, 0.6],
      [1, 20, 0.5],
    ]);
    expect(c[0].mean).toBeCloseTo(0.4, 12);
    expect(c[1].mean).toBeCloseTo(0.45, 12);
  });

  it('one-shot policy: the whole policy when recorded, else the most likely dims of an older search', async () => {
    const full = [
      {
        field: 'user',
        dims: [
          { value: 0, prob: 0.3 },
          { value: 2, prob: 0.7 },
        ],
        normBudgets: [{ value: 0, prob: 1 }],
      },
    ];
    expect(oneShotPolicy({ steps: 1, seconds: 1, ranked: [], fieldPolicy: full })!.decisions).toEqual([
      { field: 'user', decision: 'dim', choices: full[0].dims },
    ]);
    const old = oneShotPolicy({ steps: 1, seconds: 1, ranked: [], policy: [{ field: 'user', dim: 2, prob: 0.7 }] })!;
    expect(old.source).toMatch(/most likely dim only/);
    expect(old.decisions[0].choices).toEqual([{ value: 2, prob: 0.7 }]);
    expect(oneShotPolicy({ steps: 1, seconds: 1, ranked: [] })).toBeUndefined();
  });
});
