/**
 * A one-shot search stopped at any unit of work — mid warm-up, between rounds — and restored from its checkpoint
 * into a new process's objects (here: new objects that first ran a few units of their own, so the restore must
 * overwrite every piece of state)
 * finishes exactly as the uninterrupted run: history, ranking, controller state and supernet, bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend.js';
import { createController } from '../../src/controllers/create-controller.js';
import { FinalistsController } from '../../src/controllers/finalists.js';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  type OneShotCheckpoint,
} from '../../src/search/oneshot/oneshot-checkpoint.js';
import type { OneShotOptions } from '../../src/search/oneshot/oneshot-options.js';
import { OneShotSearch } from '../../src/search/oneshot/oneshot-search.js';
import { searchChoices } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';
import { plantedDataset } from '../engine/fixtures.js';

const data = plantedDataset({ rows: 2500, informative: 2, noise: 2, cardinality: 20, seed: 6 });
const space = parseSpace(
  'data: { format: synthetic }\nfeatures: { dims: [0, 2, 4], normBudgets: [0, 1.0e-3] }\n' +
    'model: { tower: [8], batchSize: 128, lr: 0.02 }\nreward: { form: hinge, budgetMB: 0.0008, lambda: 0.05 }\n',
  'space.yaml',
).space;
const choices = searchChoices(space, data, 'space.yaml');
// refine and trainSampling keep their defaults (the local search at the end, uniform training samples)
const small: Omit<OneShotOptions, 'seed' | 'refine' | 'trainSampling'> = {
  warmupBatches: 12,
  rounds: 8,
  searchBatches: 24,
  scoreSamples: 4,
  windowRows: 300,
  rescore: 6,
};

async function build(seed: number): Promise<OneShotSearch> {
  await initBackend('auto');
  return new OneShotSearch(space, data, choices, createController('reinforce', choices, { seed, warmup: 4 }), {
    seed,
    ...small,
  });
}

async function finish(search: OneShotSearch) {
  try {
    const r = (await search.run())!;
    return {
      history: r.history,
      ranked: r.ranked,
      state: r.controllerState,
      steps: r.steps,
      params: search.supernet.tower.parameters(),
    };
  } finally {
    search.dispose();
  }
}

describe('one-shot checkpoints', () => {
  it('resumed from a stop at any unit = uninterrupted, through the binary encoding', async () => {
    await initBackend('auto');
    const before = tf.memory().numTensors;
    const want = await finish(await build(5));
    // Units: 12 warm-up batches, then 8 rounds. Stop after unit 1, 7 (mid warm-up), 12 (its end), 15 (a round in).
    for (const stopAfter of [1, 7, 12, 15]) {
      const first = await build(5);
      let units = 0;
      let saved: OneShotCheckpoint | undefined;
      const stopped = await first.run({
        checkpointSeconds: 1e9,
        checkpoint: (c) => {
          saved = c;
        },
        shouldStop: () => ++units >= stopAfter,
      });
      first.dispose();
      expect(stopped).toBeUndefined();
      expect(saved, `a stop writes a last checkpoint (after unit ${stopAfter})`).toBeDefined();
      const again = await build(5);
      let own = 0;
      await again.run({ shouldStop: () => ++own >= 14 });
      again.restore(decodeCheckpoint(encodeCheckpoint(saved!)));
      expect(again.supernet.step).toBe(Math.min(stopAfter, 12) + Math.max(0, stopAfter - 12) * 3);
      const got = await finish(again);
      expect(got, `stopped after unit ${stopAfter}`).toEqual(want);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a checkpoint of other options, a truncated one, and a foreign one', async () => {
    const a = await build(5);
    const c = a.checkpoint();
    a.dispose();
    const bytes = encodeCheckpoint(c);
    expect(() => decodeCheckpoint(bytes.subarray(0, 20))).toThrow(/truncated/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('SQLite format 3\u0000 and more'))).toThrow(
      /not a one-shot checkpoint/,
    );
    const other = new OneShotSearch(space, data, choices, createController('reinforce', choices, { seed: 5 }), {
      seed: 5,
      ...small,
      rounds: 9,
    });
    try {
      expect(() => other.restore(decodeCheckpoint(bytes))).toThrow(/other options/);
    } finally {
      other.dispose();
    }
  });

  it('the finalists controller proposes its list in order, then again, and restores exactly', () => {
    const list = [2, 4, 0].map((d) => ({ fields: [{ name: 'a', dim: d, normAlpha: 0 }] }));
    const c = new FinalistsController(list);
    expect(c.propose(2).map((p) => p.fields[0].dim)).toEqual([2, 4]);
    const state = c.getState();
    expect(c.propose(2).map((p) => p.fields[0].dim)).toEqual([0, 2]);
    const d = new FinalistsController(list);
    d.setState(state);
    expect(d.propose(2).map((p) => p.fields[0].dim)).toEqual([0, 2]);
    expect(() => d.setState({ kind: 'random' } as never)).toThrow(/finalists snapshot/);
    expect(() => new FinalistsController([])).toThrow(/no configuration/);
  });
});
