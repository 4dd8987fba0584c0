/**
 * The validation windows a one-shot search scores its proposals on hold both classes whatever the positive rate, so
 * a window's AUC is always defined (proxy-reward.ts, validWindow):
 *
 * 1. a window that holds both classes is the rotating window, unchanged;
 * 2. a window of one class grows forward to the next row of the missing class;
 * 3. when the split has none after it, it grows back to the previous one;
 * 4. on a split with rare positives every window holds both classes, inside the split, the same for the same round;
 * 5. a valid split of one class is refused with a UsageError naming it, before anything is trained;
 * 6. a search on data with under 0.5 % positives runs to its end; resumed from a stop, it ends as uninterrupted.
 */
import { describe, expect, it } from 'vitest';
import { isUsageError, type UsageError } from '../../src/errors.js';
import { createController } from '../../src/controllers/create-controller.js';
import type { OneShotCheckpoint } from '../../src/search/oneshot/oneshot-checkpoint.js';
import { OneShotSearch } from '../../src/search/oneshot/oneshot-search.js';
import { validWindow } from '../../src/search/oneshot/proxy-reward.js';
import { searchChoices } from '../../src/search/trial-plan.js';
import { parseSpace } from '../../src/space/load-space.js';
import { plantedDataset } from '../engine/fixtures.js';

const classes = (labels: ArrayLike<number>, w: { start: number; end: number }) =>
  new Set(Array.from({ length: w.end - w.start }, (_, k) => labels[w.start + k]));

/** 0.475 % positives: 3 in the 800 valid rows. */
const rare = plantedDataset({ rows: 8000, informative: 2, noise: 2, cardinality: 20, seed: 6, bias: -8 });
const space = parseSpace(
  'data: { format: synthetic }\nfeatures: { dims: [0, 2, 4], normBudgets: [0] }\n' +
    'model: { tower: [8], batchSize: 128, lr: 0.02 }\nreward: { form: hinge, budgetMB: 0.0008, lambda: 0.05 }\n',
  'space.yaml',
).space;
const small = { warmupBatches: 10, rounds: 12, searchBatches: 24, scoreSamples: 3, windowRows: 100, rescore: 4 };

async function build(data = rare): Promise<OneShotSearch> {
  const choices = searchChoices(space, data, 'space.yaml');
  const controller = createController('reinforce', choices, { seed: 5, warmup: 3 });
  return OneShotSearch.create(space, data, choices, controller, { seed: 5, ...small });
}

describe('one-shot validation windows', () => {
  const split = { start: 100, end: 400 };
  const labels = new Float32Array(400);

  it('1-3: leaves a window of both classes as it was, grows one of a single class to the nearest missing row', () => {
    labels.fill(0);
    labels[150] = 1;
    labels[320] = 1;
    expect(validWindow(split, 100, 0, labels)).toEqual({ start: 100, end: 200 }); // 1: holds row 150
    expect(validWindow(split, 100, 1, labels)).toEqual({ start: 200, end: 321 }); // 2: on to row 320
    labels[320] = 0;
    expect(validWindow(split, 100, 2, labels)).toEqual({ start: 150, end: 400 }); // 3: back to row 150
    labels.fill(1);
    labels[399] = 0;
    expect(validWindow(split, 100, 0, labels)).toEqual({ start: 100, end: 400 }); // a missing negative alike
  });

  it('4: on a split with rare positives every window holds both classes, inside the split, deterministically', () => {
    const valid = rare.splits.valid;
    let grown = 0;
    for (let i = 0; i < 200; i++) {
      const w = validWindow(valid, 100, i, rare.labels);
      expect(classes(rare.labels, w), `window ${i}`).toEqual(new Set([0, 1]));
      expect(w.start >= valid.start && w.end <= valid.end && w.end - w.start >= 100).toBe(true);
      expect(validWindow(valid, 100, i, rare.labels)).toEqual(w);
      if (w.end - w.start > 100) grown++;
    }
    expect(grown).toBeGreaterThan(100); // with 3 positives in 800 rows most windows had to grow
  });

  it('5: refuses a valid split of one class, naming it and what to do', async () => {
    const none = plantedDataset({ rows: 8000, informative: 2, noise: 2, cardinality: 20, seed: 6, bias: -9 });
    const err = await build(none).then(
      (s) => s.dispose(),
      (e: unknown) => e,
    );
    expect(isUsageError(err), String(err)).toBe(true);
    expect((err as UsageError).toLine()).toMatch(
      /the valid split of .* has only negative labels \(800 rows\).*valid share/,
    );
  });

  it('6: runs to the end on rare positives; resumed from a stop mid-search, it ends as the uninterrupted run', async () => {
    const whole = await build();
    const want = (await whole.run())!;
    whole.dispose();
    expect(want.history).toHaveLength(small.rounds * small.scoreSamples);
    expect(want.history.every((h) => Number.isFinite(h.auc) && Number.isFinite(h.reward))).toBe(true);

    const first = await build();
    let units = 0;
    let saved: OneShotCheckpoint | undefined;
    const stopped = await first.run({ checkpoint: (c) => void (saved = c), shouldStop: () => ++units >= 15 });
    first.dispose();
    expect(stopped).toBeUndefined();
    const again = await build();
    again.restore(saved!);
    const got = (await again.run())!;
    again.dispose();
    expect({ ...got, seconds: 0 }).toEqual({ ...want, seconds: 0 });
  });
});
