/** Views for the tui tests: a mid-search snapshot with known numbers. */
import type { FinishedTrialView, OneShotView, SearchView } from '../../src/search/search-view.js';

const MB = 1_000_000;

export function finishedTrial(
  number: number,
  validAuc: number,
  memoryMB: number,
  reward: number,
  extra: Partial<FinishedTrialView> = {},
): FinishedTrialView {
  return {
    number,
    status: 'completed',
    validAuc,
    memoryBytes: Math.round(memoryMB * MB),
    reward,
    dims: [
      { name: 'user', dim: 16, normAlpha: 0.001 },
      { name: 'item', dim: 8, normAlpha: 0 },
      { name: 'city', dim: number % 2 === 0 ? 0 : 4, normAlpha: 0 },
    ],
    cacheHit: false,
    wallSeconds: 30,
    ...extra,
  };
}

export function midSearchView(overrides: Partial<SearchView> = {}): SearchView {
  return {
    name: 'frappe',
    spaceFile: 'search-spaces/frappe.yaml',
    seed: 42,
    controller: 'reinforce',
    backend: 'wasm',
    startedAt: 0,
    elapsedMs: 3_723_000,
    trialsDone: 4,
    trialsTotal: 100,
    bestReward: 0.79,
    running: [
      {
        worker: 1,
        trialNumber: 6,
        configShort: 'user:16 item:8 daytime:4 weekday:2 isweekend:0 homework:2 cost:0 weather:4 country:8 city:16',
        epoch: 1,
        epochs: 2,
        batch: 50,
        batches: 100,
        rowsPerSec: 12345,
        loss: 0.4521,
      },
      {
        worker: 0,
        trialNumber: 5,
        configShort: 'user:8 item:8',
        epoch: 2,
        epochs: 2,
        batch: 100,
        batches: 100,
        rowsPerSec: 850,
        loss: 0.3999,
      },
    ],
    finished: [
      finishedTrial(1, 0.7, 0.2, 0.7),
      finishedTrial(2, 0.81, 0.9, 0.75),
      finishedTrial(3, 0.8, 0.5, 0.79),
      { number: 4, status: 'failed', dims: [], cacheHit: false, error: 'worker crashed\nat line 3', wallSeconds: 10 },
    ],
    policy: [
      { field: 'user', dim: 16, dimProb: 0.72, normBudget: 0.001, normProb: 0.35 },
      { field: 'item', dim: 8, dimProb: 0.5, normBudget: 0, normProb: 0.9 },
    ],
    paused: false,
    stopping: false,
    memoryBudgetBytes: 500_000,
    objective: 'reward = AUC − 0.02·max(0, memory/0.5 MB − 1)',
    ...overrides,
  };
}

/** The supernet phase mid-way: step 1,200 of 3,000 in 48 s (ETA 72 s), round 40 of 100, proxy rising to 0.7712. */
export function supernetOneShot(overrides: Partial<OneShotView> = {}): OneShotView {
  const proxy = Array.from({ length: 40 }, (_, i) => 0.7 + (0.07 * i) / 39);
  proxy[39] = 0.7712;
  return {
    phase: 'search',
    step: 1200,
    totalSteps: 3000,
    round: 40,
    rounds: 100,
    proxy,
    bestProxy: 0.7801,
    resumedAtStep: 0,
    phaseElapsedMs: 48_000,
    ...overrides,
  };
}

/** A one-shot search in its supernet phase: no trial has run yet, the finalists are still to come. */
export function supernetView(oneShot: Partial<OneShotView> = {}, overrides: Partial<SearchView> = {}): SearchView {
  return midSearchView({
    trialsDone: 0,
    trialsTotal: 4,
    bestReward: undefined,
    running: [],
    finished: [],
    elapsedMs: 50_000,
    oneShot: supernetOneShot(oneShot),
    ...overrides,
  });
}
