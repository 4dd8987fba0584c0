import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { initBackend } from '../../src/engine/backend.js';
import { inferenceBytes, train, type TrainProgress } from '../../src/engine/index.js';
import { configFor, plantedDataset } from './fixtures.js';

const data = plantedDataset({ rows: 6000, informative: 2, noise: 2, cardinality: 20, seed: 1 });

describe('train: learning', () => {
  it('uses the informative fields: clearly beats the same model with them dropped', async () => {
    const full = await train(configFor(data), data);
    const blind = configFor(data);
    blind.fields[0].dim = 0;
    blind.fields[1].dim = 0;
    const noiseOnly = await train(blind, data);
    expect(full.validAuc).toBeGreaterThan(0.75);
    expect(noiseOnly.validAuc).toBeLessThan(0.6);
    expect(full.validAuc - noiseOnly.validAuc).toBeGreaterThan(0.15);
    expect(full.validLogloss).toBeLessThan(noiseOnly.validLogloss);
    expect(full.backend).not.toBe('cpu'); // wasm here, libtensorflow where tfjs-node is installed
    expect(full.rowsTrained).toBe(full.epochs.length * 4800);
    expect(full.inferenceBytes).toBe(
      inferenceBytes(
        configFor(data),
        data.fields.map((f) => f.rows),
      ),
    );
    expect(full.trainingBytes).toBeGreaterThan(full.inferenceBytes);
    expect(full.epochs[full.bestEpoch].validAuc).toBe(full.validAuc);
  });

  it('with every field dropped the model is a bias alone: AUC 0.5, finite log loss', async () => {
    const config = configFor(data, { epochs: 1 }, 0);
    const result = await train(config, data);
    expect(result.validAuc).toBe(0.5);
    expect(Number.isFinite(result.validLogloss)).toBe(true);
    expect(result.inferenceBytes).toBe(4);
  });

  it('runs on the backend asked for and reports it', async () => {
    const result = await train(configFor(data, { epochs: 1 }), data, { backend: 'cpu', maxBatchesPerEpoch: 10 });
    expect(result.backend).toBe('cpu');
    expect(result.rowsTrained).toBe(10 * 128);
    expect(await initBackend('auto')).not.toBe('cpu');
  });

  it('an empty tower is a logistic model over the embeddings, and still learns', async () => {
    const result = await train(configFor(data, { tower: [], optimizer: 'adagrad', lr: 0.1 }), data);
    expect(result.validAuc).toBeGreaterThan(0.75);
  });
});

describe('train: reproducibility and resources', () => {
  it('is deterministic for a seed (bit for bit) and differs for another seed', async () => {
    const config = configFor(data, { epochs: 2 });
    const losses = async (seed: number) =>
      (await train({ ...config, seed }, data)).epochs.flatMap((e) => [e.trainLoss, e.validAuc, e.validLogloss]);
    const a = await losses(5);
    expect(await losses(5)).toEqual(a);
    expect(await losses(6)).not.toEqual(a);
  });

  it('leaves no tensors behind, also when a trial fails', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    await train(configFor(data, { epochs: 1, optimizer: 'adam' }), data);
    await train(configFor(data, { epochs: 1, optimizer: 'adagrad' }), data);
    expect(tf.memory().numTensors).toBe(before);
    const failing = train(configFor(data, { epochs: 100, batchSize: 8 }), data, {}, () => {
      throw new Error('progress consumer failed');
    });
    await expect(failing).rejects.toThrow(/progress consumer failed/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('caps batches per epoch, stops early on validation AUC, and reports progress at most ~4 per second plus each epoch end', async () => {
    const progress: TrainProgress[] = [];
    const started = performance.now();
    const result = await train(
      configFor(data, { epochs: 30, patience: 1, batchSize: 16, lr: 0.05 }),
      data,
      { maxBatchesPerEpoch: 30 },
      (p) => progress.push(p),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(result.rowsTrained).toBe(result.epochs.length * 30 * 16);
    // patience 1: training stopped one epoch after the best one (or ran all 30 epochs improving)
    expect(result.epochs.length === 30 || result.epochs.length === result.bestEpoch + 2).toBe(true);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 1 + result.epochs.length);
    // every epoch ends with a report of its last batch, however fast it ran
    const ends = progress.filter((p) => p.batch === p.batches).map((p) => p.epoch);
    expect(ends).toEqual(result.epochs.map((_, i) => i + 1));
    for (const p of progress) {
      expect(p.batches).toBe(30);
      expect(Number.isFinite(p.loss) && p.rowsPerSec > 0).toBe(true);
    }
  });

  it('stops between batches when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const config = configFor(data, { epochs: 1000, patience: 1000, batchSize: 8 });
    await expect(train(config, data, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('train: bad input is a UsageError', () => {
  async function usageMessage(run: () => Promise<unknown>): Promise<string> {
    try {
      await run();
    } catch (e) {
      expect(isUsageError(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error('expected a UsageError');
  }

  it('rejects configs that do not match the dataset', async () => {
    const c = configFor(data);
    expect(await usageMessage(() => train({ ...c, fields: c.fields.slice(1) }, data))).toMatch(
      /3 fields but dataset .* has 4/,
    );
    const renamed = configFor(data);
    renamed.fields[2].name = 'zip';
    expect(await usageMessage(() => train(renamed, data))).toMatch(
      /fields\[2\]\.name is 'zip' but field 2 .* is 'noise0'/,
    );
    const negative = configFor(data);
    negative.fields[1].dim = -2;
    expect(await usageMessage(() => train(negative, data))).toMatch(/fields\[1\]\.dim \(signal1\) is -2/);
    const fractional = configFor(data);
    fractional.fields[1].dim = 2.5;
    expect(await usageMessage(() => train(fractional, data))).toMatch(/dim .* is 2\.5/);
    expect(await usageMessage(() => train({ ...c, tower: [8, 0] }, data))).toMatch(/tower\[1\] is 0/);
  });

  it('rejects NaN labels and a validation split with a single class', async () => {
    const nanLabels = plantedDataset({ rows: 400, seed: 2 });
    nanLabels.labels[17] = NaN;
    expect(await usageMessage(() => train(configFor(nanLabels), nanLabels))).toMatch(/label of row 17 .* is NaN/);
    const oneClass = plantedDataset({ rows: 400, seed: 2 });
    for (let r = oneClass.splits.valid.start; r < oneClass.splits.valid.end; r++) oneClass.labels[r] = 0;
    expect(await usageMessage(() => train(configFor(oneClass), oneClass))).toMatch(
      /valid split .* only negative labels/,
    );
  });

  it('never reads the test split', async () => {
    const poisoned = plantedDataset({ rows: 2000, seed: 4 });
    for (let r = poisoned.splits.test.start; r < poisoned.splits.test.end; r++) poisoned.labels[r] = NaN;
    const result = await train(configFor(poisoned, { epochs: 1 }), poisoned);
    expect(Number.isFinite(result.validAuc)).toBe(true);
  });
});
