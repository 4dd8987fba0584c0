/**
 * The one-shot loop: the proxy reward it feeds the controller is the window's AUC minus the space's memory penalty,
 * a seed fixes the whole run, the ranking puts the policy's choice first, spaces it cannot share weights for are
 * refused, and a diverging supernet is the user's learning rate, not a bug.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { inferenceBytes } from '../../src/engine/memory.js';
import { isUsageError } from '../../src/errors.js';
import { proposalKey } from '../../src/controllers/controller.js';
import { createController } from '../../src/controllers/create-controller.js';
import { RandomController } from '../../src/controllers/random.js';
import type { OneShotOptions } from '../../src/search/oneshot/oneshot-options.js';
import { rankProposals } from '../../src/search/oneshot/ranking.js';
import { neighbours, refine } from '../../src/search/oneshot/refine.js';
import { OneShotSearch, runOneShot } from '../../src/search/oneshot/oneshot-search.js';
import { validWindow } from '../../src/search/oneshot/proxy-reward.js';
import { subnetOf } from '../../src/search/oneshot/supernet-spec.js';
import { searchChoices, trialConfig } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';
import { plantedDataset } from '../engine/fixtures.js';

const data = plantedDataset({ rows: 3000, informative: 2, noise: 2, cardinality: 20, seed: 4 });
const spaceOf = (features: string) =>
  parseSpace(
    `data: { format: synthetic }\nfeatures: ${features}\nmodel: { tower: [8], batchSize: 128, lr: 0.02 }\n` +
      `reward: { form: hinge, budgetMB: 0.0008, lambda: 0.05 }\n`,
    'space.yaml',
  ).space;
const space = spaceOf('{ dims: [0, 2, 4], normBudgets: [0, 1.0e-3] }');
const choices = searchChoices(space, data, 'space.yaml');
// refine and trainSampling keep their defaults (the local search at the end, uniform training samples)
const small: Omit<OneShotOptions, 'seed' | 'refine' | 'trainSampling'> = {
  warmupBatches: 10,
  rounds: 6,
  searchBatches: 12,
  scoreSamples: 4,
  windowRows: 200,
  rescore: 5,
};

/** AUC by counting every positive–negative pair (ties half): independent of the engine's sort-based rocAuc. */
function pairwiseAuc(scores: Float32Array, labels: Float32Array): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] === 1) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('one-shot search', () => {
  it("scores a proposal as the window's AUC minus the memory penalty of the stand-alone model", async () => {
    const search = await OneShotSearch.create(space, data, choices, new RandomController(choices, { seed: 3 }), {
      seed: 3,
      ...small,
    });
    try {
      const result = (await search.run())!;
      expect(result.history).toHaveLength(small.rounds * small.scoreSamples);
      expect(result.steps).toBe(small.warmupBatches + small.searchBatches);
      const last = result.history.filter((h) => h.round === small.rounds - 1); // scored with the final weights
      const window = validWindow(data.splits.valid, small.windowRows, small.rounds - 1, data.labels);
      const src = { ids: data.ids, labels: data.labels, numFields: data.fields.length };
      let penalised = 0;
      for (const h of last) {
        const logits = search.supernet.predict(subnetOf(h.proposal, search.spec), src, window.start, window.end);
        const auc = pairwiseAuc(logits, data.labels.subarray(window.start, window.end));
        const bytes = inferenceBytes(
          trialConfig(h.proposal, space, 0),
          data.fields.map((f) => f.rows),
        );
        const penalty = 0.05 * Math.max(0, bytes / 800 - 1);
        if (penalty > 0) penalised++;
        expect(h.auc).toBeCloseTo(auc, 12);
        expect(h.memoryBytes).toBe(bytes);
        expect(h.reward).toBeCloseTo(auc - penalty, 12);
      }
      expect(penalised).toBeGreaterThan(0);
    } finally {
      search.dispose();
    }
  });

  it('is deterministic for a seed, differs for another, leaks no tensors, and ranks a rescored shortlist first', async () => {
    const before = tf.memory().numTensors;
    const run = (seed: number) =>
      runOneShot(space, data, choices, createController('reinforce', choices, { seed, warmup: 4 }), { seed, ...small });
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(tf.memory().numTensors).toBe(before);
    expect(b.history).toEqual(a.history);
    expect(b.controllerState).toEqual(a.controllerState);
    expect(c.history.map((h) => h.reward)).not.toEqual(a.history.map((h) => h.reward));
    const keys = a.ranked.map((r) => proposalKey(r.proposal));
    expect(new Set(keys).size).toBe(keys.length);
    // The shortlist — the best sampled by mean proxy reward, plus the policy's argmax — comes first, rescored with
    // the final weights on the whole valid split and ordered by that score; the rest follow by mean proxy reward.
    const rescored = a.ranked.filter((r) => r.rescored);
    expect(a.ranked.slice(0, rescored.length).every((r) => r.rescored)).toBe(true);
    expect(rescored.filter((r) => r.argmax)).toHaveLength(1);
    const sorted = (xs: number[]) => [...xs].sort((x, y) => y - x);
    expect(rescored.map((r) => r.reward)).toEqual(sorted(rescored.map((r) => r.reward)));
    const rest = a.ranked.slice(rescored.length);
    expect(rest.map((r) => r.reward)).toEqual(sorted(rest.map((r) => r.reward)));
    expect(
      Math.min(...rescored.filter((r) => !r.argmax && !r.refined).map((r) => r.meanProxy!)),
    ).toBeGreaterThanOrEqual(Math.max(...rest.map((r) => r.meanProxy!)));
    expect(rescored.some((r) => r.refined)).toBe(true);
    // every sampled configuration appears once, with all its scores
    expect(a.ranked.reduce((n, r) => n + r.timesScored, 0)).toBe(a.history.length);
  });

  it('refuses a space with a technique other than plain tables', async () => {
    const mlet = spaceOf('{ dims: [0, 2, 4], normBudgets: [0], mletFactors: [0, 2] }');
    const make = () =>
      new OneShotSearch(
        mlet,
        data,
        searchChoices(mlet, data, 'space.yaml'),
        new RandomController(choices, { seed: 1 }),
        { seed: 1 },
      );
    expect(make).toThrow(/one-shot search does not support/);
    try {
      make();
    } catch (e) {
      expect(isUsageError(e)).toBe(true);
    }
  });

  it('reports a diverging supernet as a UsageError (the learning rate), not a bug', async () => {
    const wild = parseSpace(
      `data: { format: synthetic }\nfeatures: { dims: [0, 2, 4], normBudgets: [0] }\n` +
        `model: { tower: [8], batchSize: 128, lr: 1.0e+30 }\nreward: { budgetMB: 1 }\n`,
      'space.yaml',
    ).space;
    const c = searchChoices(wild, data, 'space.yaml');
    const search = await OneShotSearch.create(wild, data, c, new RandomController(c, { seed: 1 }), {
      seed: 1,
      ...small,
    });
    try {
      const err = await search.run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isUsageError(err), String(err)).toBe(true);
      expect((err as Error).message).toMatch(/one-shot supernet diverged at step \d+: its training loss is NaN/);
    } finally {
      search.dispose();
    }
  });

  it('rotates its validation windows through the whole split, inside it', () => {
    const split = { start: 1000, end: 1700 };
    const labels = Float32Array.from({ length: 1700 }, (_, r) => r % 2); // both classes in every window
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const w = validWindow(split, 200, i, labels);
      expect(w.end - w.start).toBe(200);
      expect(w.start >= split.start && w.end <= split.end).toBe(true);
      for (let r = w.start; r < w.end; r++) seen.add(r);
    }
    expect(seen.size).toBe(700);
    expect(validWindow(split, 5000, 3, labels)).toEqual(split);
  });

  it('pools the scores of configurations that differ only in norm budgets, and ranks the shortlist by the final score', () => {
    const p = (dims: number[], alpha: number) => ({
      fields: dims.map((dim, i) => ({ name: `f${i}`, dim, normAlpha: alpha })),
    });
    const score = (reward: number) => ({ auc: reward, memoryBytes: 10, reward });
    const history = [
      { proposal: p([2, 4], 0), ...score(0.7) },
      { proposal: p([2, 4], 1e-3), ...score(0.8) },
      { proposal: p([4, 4], 0), ...score(0.74) },
      { proposal: p([0, 4], 0), ...score(0.6) },
    ];
    const final = (q: { fields: { dim: number }[] }) => score(q.fields[0].dim === 4 ? 0.9 : 0.5);
    const ranked = rankProposals(history, new RandomController(choices, { seed: 1 }), final, 2);
    expect(ranked.map((r) => [r.proposal.fields.map((f) => f.dim), r.timesScored, r.rescored, r.reward])).toEqual([
      [[4, 4], 1, true, 0.9],
      [[2, 4], 2, true, 0.5],
      [[0, 4], 1, false, 0.6],
    ]);
    expect(ranked[1].meanProxy).toBeCloseTo(0.75, 12);
  });

  it('refines by greedy one-step moves on the final weights, within its budget, never scoring a configuration twice', () => {
    const fields = [
      { name: 'a', dims: [0, 2, 4, 8], normBudgets: [0] },
      { name: 'b', dims: [0, 2, 4], normBudgets: [0] },
    ];
    const p = (a: number, b: number) => ({
      fields: [
        { name: 'a', dim: a, normAlpha: 0 },
        { name: 'b', dim: b, normAlpha: 0 },
      ],
    });
    // Peak at a = 4, b = 0: reward falls with the distance to it.
    const calls: string[] = [];
    const score = (q: ReturnType<typeof p>) => {
      calls.push(proposalKey(q));
      const [a, b] = q.fields.map((f) => f.dim);
      const reward = 1 - Math.abs(Math.log2(a + 1) - Math.log2(5)) - b / 10;
      return { auc: reward, memoryBytes: 0, reward };
    };
    expect(neighbours(p(2, 4), fields).map((q) => q.fields.map((f) => f.dim))).toEqual([
      [0, 4],
      [4, 4],
      [2, 2],
    ]);
    const start = { proposal: p(0, 4), score: score(p(0, 4)) };
    calls.length = 0;
    const found = refine([start], fields, score, proposalKey, 100);
    const best = found.reduce((x, y) => (y.score.reward > x.score.reward ? y : x));
    expect(best.proposal.fields.map((f) => f.dim)).toEqual([4, 0]);
    expect(new Set(calls).size).toBe(calls.length);
    expect(calls).not.toContain(proposalKey(p(0, 4)));
    expect(refine([start], fields, score, proposalKey, 3)).toHaveLength(3);
  });
});
