import { describe, expect, it } from 'vitest';
import { inferenceBytes, trainingBytes } from '../../src/engine/memory.js';
import type { TrialConfig } from '../../src/engine/trial-config.js';

const config: TrialConfig = {
  fields: [
    { name: 'a', dim: 4, normAlpha: 0 },
    { name: 'b', dim: 0, normAlpha: 0 },
    { name: 'c', dim: 2, normAlpha: 1e-3 },
  ],
  tower: [8, 3],
  optimizer: 'adam',
  lr: 0.01,
  batchSize: 16,
  epochs: 1,
  patience: 1,
  seed: 1,
};
const rows = [10, 1000, 7];

describe('memory footprint', () => {
  it('inferenceBytes = Σ rows·dim·4 + tower parameters·4', () => {
    // embeddings: 10·4 + 7·2 = 54; tower 6→8→3→1: 6·8+8 + 8·3+3 + 3·1+1 = 87
    expect(inferenceBytes(config, rows)).toBe((54 + 87) * 4);
    // every field dropped: a lone bias
    const none = { ...config, fields: config.fields.map((f) => ({ ...f, dim: 0 })) };
    expect(inferenceBytes(none, rows)).toBe(4);
    // no hidden layer: a logistic model over the 6 embedding columns
    expect(inferenceBytes({ ...config, tower: [] }, rows)).toBe((54 + 7) * 4);
  });

  it('trainingBytes adds optimizer state (Adam two slots, Adagrad one) and per-row bookkeeping', () => {
    const params = (54 + 87) * 4;
    const adam = trainingBytes(config, rows);
    const adagrad = trainingBytes({ ...config, optimizer: 'adagrad' }, rows);
    expect(adam).toBeGreaterThanOrEqual(params * 3);
    expect(adam - adagrad).toBe(params);
  });

  it('rejects a row count list that does not match the fields', () => {
    expect(() => inferenceBytes(config, [1, 2])).toThrow(/3 fields/);
  });
});
