/** The engine options a final retrain uses: several training ranges, another evaluation range, fixed epochs, weights out. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend, rocAuc, train, type TrainedModel } from '../../src/engine/index.js';
import { isUsageError } from '../../src/errors.js';
import { configFor, plantedDataset } from '../engine/fixtures.js';

const data = plantedDataset({ rows: 3000, informative: 2, noise: 2, cardinality: 20, seed: 5 });
const { train: tr, valid, test } = data.splits;

describe('train options of a final retrain', () => {
  it('fixedEpochs trains exactly that many epochs without early stopping; the last epoch is the result', async () => {
    // config.epochs and patience are overridden: without fixedEpochs this config trains one epoch.
    const config = configFor(data, { epochs: 1, patience: 1, lr: 0.3 });
    const result = await train(config, data, { fixedEpochs: 4 });
    expect(result.epochs).toHaveLength(4);
    expect(result.bestEpoch).toBe(3);
    expect(result.validAuc).toBe(result.epochs[3].validAuc);
    await expect(train(config, data, { fixedEpochs: 0 })).rejects.toMatchObject({ name: 'UsageError' });
  });

  it('trains on several ranges, evaluates another one and hands out the weights and its logits', async () => {
    let trained: TrainedModel | undefined;
    const result = await train(configFor(data, { epochs: 2 }), data, {
      trainRanges: [tr, valid],
      evalRange: test,
      fixedEpochs: 2,
      onTrained: (t) => (trained = t),
    });
    expect(result.rowsTrained).toBe(2 * (valid.end - tr.start));
    expect(trained!.evalLogits).toHaveLength(test.end - test.start);
    expect(result.validAuc).toBe(rocAuc(trained!.evalLogits, data.labels.subarray(test.start, test.end)));
    const w = trained!.weights;
    expect(w.embeddings.map((e) => [e.field, e.rows, e.dim, e.table.length])).toEqual(
      [0, 1, 2, 3].map((f) => [f, 22, 4, 88]),
    );
    expect(w.tower.map((l) => [l.in, l.out, l.activation, l.kernel.length, l.bias.length])).toEqual([
      [16, 16, 'relu', 256, 16],
      [16, 1, 'linear', 16, 1],
    ]);
  });

  it('is the same training as before for a single train range (default options)', async () => {
    const config = configFor(data, { epochs: 2, patience: 5 });
    const a = await train(config, data);
    const b = await train(config, data, { trainRanges: [tr], evalRange: valid });
    expect(b.epochs.map((e) => [e.trainLoss, e.validAuc])).toEqual(a.epochs.map((e) => [e.trainLoss, e.validAuc]));
  });

  it('checks the extra ranges: bad rows and a one-class evaluation range are UsageErrors naming the split', async () => {
    const poisoned = plantedDataset({ rows: 1000, seed: 6 });
    poisoned.labels[poisoned.splits.test.start + 3] = NaN;
    const config = configFor(poisoned, { epochs: 1 });
    const err = await train(config, poisoned, { evalRange: poisoned.splits.test }).catch((e: unknown) => e);
    expect(isUsageError(err)).toBe(true);
    expect((err as Error).message).toMatch(
      new RegExp(`label of row ${poisoned.splits.test.start + 3} \\(test split\\)`),
    );
    const oneClass = plantedDataset({ rows: 1000, seed: 6 });
    oneClass.labels.fill(0, oneClass.splits.test.start, oneClass.splits.test.end);
    const err2 = await train(config, oneClass, { evalRange: oneClass.splits.test }).catch((e: unknown) => e);
    expect((err2 as Error).message).toMatch(/the test split of .* has only negative labels/);
    const empty = await train(config, oneClass, { evalRange: { start: 10, end: 10 } }).catch((e: unknown) => e);
    expect((empty as Error).message).toMatch(/rows 10\.\.10 of .* is empty/);
  });

  it('leaves no tensors behind when the weights are taken out', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    await train(configFor(data, { epochs: 1 }), data, {
      trainRanges: [tr, valid],
      evalRange: test,
      fixedEpochs: 1,
      onTrained: () => undefined,
    });
    await expect(
      train(configFor(data, { epochs: 1 }), data, {
        fixedEpochs: 1,
        onTrained: () => {
          throw new Error('consumer failed');
        },
      }),
    ).rejects.toThrow(/consumer failed/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
