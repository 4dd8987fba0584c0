/**
 * A small per-trial search in an in-memory store, for the report's tests: four completed trials with rewards from the
 * real reward(), one failed, and the snapshot of a reinforce controller that observed the completed ones.
 */
import type { TrialConfig, TrialResult } from '../../src/engine/trial-config.js';
import { createController } from '../../src/controllers/create-controller.js';
import type { Controller } from '../../src/controllers/controller.js';
import { reward } from '../../src/search/reward.js';
import { fieldChoices } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';
import { openSqliteStore } from '../../src/store/index.js';
import type { SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';

export const SPACE_TEXT = `name: rep
data:
  format: synthetic
features:
  dims: [0, 2, 4]
  normBudgets: [0, 1.0e-3]
reward: { form: hinge, budgetMB: 0.004, lambda: 0.1 }
search: { controller: reinforce, seed: 5 }
`;

export const FIELDS = ['user', 'item', 'ctx'];
export const SETTINGS = { budgetBytes: 4000, lambda: 0.1 };

/** number, dims, AUC per epoch (the last is the trial's), memory; null AUCs = a failed trial. */
export const PLAN: { number: number; dims: number[]; aucs: number[] | null; memory: number }[] = [
  { number: 0, dims: [2, 2, 0], aucs: [0.6, 0.7], memory: 3000 },
  { number: 1, dims: [4, 4, 2], aucs: [0.7, 0.78], memory: 6000 },
  { number: 2, dims: [0, 2, 2], aucs: null, memory: 0 },
  { number: 3, dims: [4, 2, 0], aucs: [0.65, 0.69], memory: 3500 },
  { number: 4, dims: [2, 4, 0], aucs: [0.7, 0.72, 0.74], memory: 3900 },
];

function config(dims: number[], seed: number): TrialConfig {
  return {
    fields: FIELDS.map((name, i) => ({ name, dim: dims[i], normAlpha: i === 0 ? 1e-3 : 0 })),
    tower: [8],
    optimizer: 'adam',
    lr: 0.01,
    batchSize: 64,
    epochs: 3,
    patience: 1,
    seed,
  };
}

function result(aucs: number[], memory: number): TrialResult {
  const last = aucs.length - 1;
  return {
    epochs: aucs.map((validAuc, epoch) => ({ epoch, trainLoss: 0.5, validAuc, validLogloss: 0.5, seconds: 1 })),
    bestEpoch: last,
    validAuc: aucs[last],
    validLogloss: 0.5,
    rowsTrained: 100,
    wallSeconds: 1,
    rowsPerSec: 100,
    backend: 'cpu',
    inferenceBytes: memory,
    trainingBytes: memory * 3,
  };
}

export function rewardOf(p: (typeof PLAN)[number]): number {
  return reward('hinge', { auc: p.aucs!.at(-1)!, memoryBytes: p.memory }, SETTINGS);
}

/** The store, the search's id, and the controller in the state its snapshot holds. */
export function reportStore(file = ':memory:'): { store: SqliteTrialStore; searchId: number; controller: Controller } {
  const store = openSqliteStore(file);
  // Built through the synchronous core: a fixture needs no awaits.
  const s = store.core.createSearch({
    name: 'rep',
    spacePath: 'spaces/rep.yaml',
    spaceText: SPACE_TEXT,
    spaceHash: 'h',
    seed: 5,
    trialsBudget: 8,
  });
  const { space } = parseSpace(SPACE_TEXT, 'rep');
  const controller = createController('reinforce', { fields: fieldChoices(space, FIELDS, 'rep') }, { seed: 5 });
  const proposals = controller.propose(PLAN.length);
  store.core.enqueueTrials(
    s.id,
    PLAN.map((p) => ({ number: p.number, config: config(p.dims, 100 + p.number), seed: 100 + p.number })),
  );
  controller.observe(proposals.map((proposal, i) => ({ proposal, reward: PLAN[i].aucs ? rewardOf(PLAN[i]) : 0.5 })));
  PLAN.forEach((p, i) => {
    const done = p.aucs
      ? { number: p.number, status: 'completed' as const, result: result(p.aucs, p.memory), reward: rewardOf(p) }
      : { number: p.number, status: 'failed' as const, error: 'out of memory' };
    store.core.recordResults(
      s.id,
      [done],
      i === PLAN.length - 1 ? { step: PLAN.length, state: controller.getState() } : undefined,
    );
  });
  return { store, searchId: s.id, controller };
}
