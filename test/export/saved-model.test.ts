/** The saved-model folder on hand-made weights: layout, round trip, the reference forward pass, refusals. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EncodedField } from '../../src/data/encoded-dataset.js';
import type { ModelWeights } from '../../src/engine/model.js';
import type { TrialConfig } from '../../src/engine/trial-config.js';
import { isUsageError } from '../../src/errors.js';
import {
  encodeRow,
  loadSavedModel,
  predict,
  sigmoid,
  writeSavedModel,
  type SavedModelInput,
} from '../../src/export/saved-model/index.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'embnas-saved-'));

function field(name: string, values: string[]): EncodedField {
  const kept = values.length;
  return {
    name,
    rows: kept + 2,
    kept,
    oovId: kept,
    missingId: kept + 1,
    keyDigest: 'fixture',
    counts: new Int32Array(kept + 2),
    distinct: kept,
    values,
  };
}

// Three fields: 'user' (dim 2), 'site/id' (dropped), 'hour' (dim 1); tower 3 → 2 (relu) → 1.
const fields = [field('user', ['u1', 'u2', 'u3']), field('site/id', ['a', 'b']), field('hour', ['7', '8'])];
const config: TrialConfig = {
  fields: [
    { name: 'user', dim: 2, normAlpha: 0 },
    { name: 'site/id', dim: 0, normAlpha: 0 },
    { name: 'hour', dim: 1, normAlpha: 1e-3 },
  ],
  tower: [2],
  optimizer: 'adam',
  lr: 0.01,
  batchSize: 8,
  epochs: 1,
  patience: 1,
  seed: 1,
};
const userTable = Float32Array.from({ length: 5 * 2 }, (_, i) => (i - 4) / 8);
const hourTable = Float32Array.from([0.5, -0.25, 1, 0]);
const weights: ModelWeights = {
  embeddings: [
    { field: 0, name: 'user', rows: 5, dim: 2, table: userTable },
    { field: 2, name: 'hour', rows: 4, dim: 1, table: hourTable },
  ],
  tower: [
    {
      in: 3,
      out: 2,
      activation: 'relu',
      kernel: Float32Array.from([1, -1, 0.5, 2, -0.5, 0.25]),
      bias: Float32Array.from([0.1, -0.2]),
    },
    { in: 2, out: 1, activation: 'linear', kernel: Float32Array.from([1.5, -0.75]), bias: Float32Array.from([0.05]) },
  ],
};
const input = (over: Partial<SavedModelInput> = {}): SavedModelInput => ({
  search: { id: 1, name: 's', spaceHash: 'h' },
  trial: 3,
  config,
  fields,
  weights,
  metrics: { testAuc: 0.7, testLogloss: 0.5, testRows: 10, searchValidAuc: 0.71 },
  training: { splits: ['train', 'valid'], rows: 90, epochs: 1, backend: 'wasm' },
  ...over,
});

/** The forward pass written out by hand for the model above. */
function byHand(user: number, hour: number): number {
  const x = [userTable[user * 2], userTable[user * 2 + 1], hourTable[hour]];
  const [w, b] = [weights.tower[0].kernel, weights.tower[0].bias];
  const h = [0, 1].map((j) => Math.max(0, b[j] + x[0] * w[j] + x[1] * w[2 + j] + x[2] * w[4 + j]));
  return 0.05 + 1.5 * h[0] - 0.75 * h[1];
}

describe('saved model', () => {
  it('writes model.json, weights.bin and vocab files, and reads them back exactly', () => {
    const dir = path.join(tmp(), 'model');
    writeSavedModel(dir, input());
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'vocab', 'weights.bin']);
    // The dropped field has no table and no vocabulary; '/' cannot be part of a file name.
    expect(readdirSync(path.join(dir, 'vocab')).sort()).toEqual(['hour.txt', 'user.txt']);
    expect(readFileSync(path.join(dir, 'vocab', 'user.txt'), 'utf8')).toBe('u1\nu2\nu3\n');
    const saved = loadSavedModel(dir);
    const meta = saved.meta;
    expect(meta.format).toBe('embnas.model/2');
    expect(meta.features.map((f) => [f.name, f.dim, f.tensor, f.vocabFile])).toEqual([
      ['user', 2, 'embedding.user', 'vocab/user.txt'],
      ['site/id', 0, null, null],
      ['hour', 1, 'embedding.hour', 'vocab/hour.txt'],
    ]);
    expect(meta.tensors.map((t) => [t.name, t.shape, t.offset, t.length])).toEqual([
      ['embedding.user', [5, 2], 0, 40],
      ['embedding.hour', [4, 1], 40, 16],
      ['tower.0.kernel', [3, 2], 56, 24],
      ['tower.0.bias', [2], 80, 8],
      ['tower.1.kernel', [2, 1], 88, 8],
      ['tower.1.bias', [1], 96, 4],
    ]);
    expect(statSync(path.join(dir, 'weights.bin')).size).toBe(100);
    expect(meta.tower.map((l) => [l.in, l.out, l.activation])).toEqual([
      [3, 2, 'relu'],
      [2, 1, 'linear'],
    ]);
    expect(saved.tensors.get('embedding.user')).toEqual(userTable);
    expect(saved.tensors.get('tower.0.kernel')).toEqual(weights.tower[0].kernel);
    expect(meta.config).toEqual(config);
    expect(saved.vocab.get('hour')).toEqual(['7', '8']);
  });

  it('predict() is the forward pass: embeddings of kept fields, relu layers, a linear logit', () => {
    const dir = path.join(tmp(), 'model');
    writeSavedModel(dir, input());
    const saved = loadSavedModel(dir);
    for (const [user, site, hour] of [
      [0, 0, 0],
      [1, 3, 2],
      [4, 1, 3],
      [2, 2, 1],
    ]) {
      expect(predict(saved, [user, site, hour])).toBeCloseTo(byHand(user, hour), 6);
    }
    // The dropped field's id is ignored; an id outside a kept table is refused.
    expect(predict(saved, [1, 0, 2])).toBe(predict(saved, [1, 3, 2]));
    expect(() => predict(saved, [5, 0, 0])).toThrow(/id 5 of feature 'user'/);
    expect(() => predict(saved, [0, 0])).toThrow(/2 ids for 3 features/);
    expect(sigmoid(0)).toBe(0.5);
  });

  it('encodeRow maps values through the vocabulary: kept → line, unseen or dropped → OOV, empty → missing', () => {
    const dir = path.join(tmp(), 'model');
    writeSavedModel(dir, input());
    const saved = loadSavedModel(dir);
    expect([...encodeRow(saved, ['u3', 'a', '8'])]).toEqual([2, 2, 1]); // 'site/id' is dropped: no vocabulary
    expect([...encodeRow(saved, ['nobody', null, ''])]).toEqual([3, 3, 3]);
    expect([...encodeRow(saved, [undefined, 'b', 'x'])]).toEqual([4, 2, 2]);
  });

  it('with every field dropped the model is its bias', () => {
    const dropped = { ...config, fields: config.fields.map((f) => ({ ...f, dim: 0 })) };
    const bias: ModelWeights = {
      embeddings: [],
      tower: [{ in: 0, out: 1, activation: 'linear', kernel: new Float32Array(0), bias: Float32Array.from([-1.25]) }],
    };
    const dir = path.join(tmp(), 'model');
    writeSavedModel(dir, input({ config: dropped, weights: bias }));
    const saved = loadSavedModel(dir);
    expect(saved.meta.tensors.map((t) => t.name)).toEqual(['tower.0.kernel', 'tower.0.bias']);
    expect(predict(saved, [0, 1, 2])).toBe(-1.25);
    expect(existsSync(path.join(dir, 'vocab'))).toBe(true);
    expect(readdirSync(path.join(dir, 'vocab'))).toEqual([]);
  });

  it('refuses a non-empty folder, accepts an empty one, and leaves no partial folder behind', () => {
    const root = tmp();
    const full = path.join(root, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'notes.txt'), 'mine');
    expectUsage(() => writeSavedModel(full, input()), /model folder .*full: exists and is not empty/);
    expect(readFileSync(path.join(full, 'notes.txt'), 'utf8')).toBe('mine');
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    writeSavedModel(empty, input());
    expect(existsSync(path.join(empty, 'model.json'))).toBe(true);
    // A config that does not match the weights is a bug: thrown before anything is written.
    const wrong = { ...config, fields: config.fields.map((f) => ({ ...f, dim: 3 })) };
    expect(() => writeSavedModel(path.join(root, 'wrong'), input({ config: wrong }))).toThrow(
      /do not match the config/,
    );
    expect(readdirSync(root).sort()).toEqual(['empty', 'full']);
  });

  it('refuses folders that are not a complete saved model', () => {
    const root = tmp();
    expectUsage(() => loadSavedModel(root), /no model\.json/);
    const dir = path.join(root, 'model');
    writeSavedModel(dir, input());
    truncateSync(path.join(dir, 'weights.bin'), 96);
    expectUsage(() => loadSavedModel(dir), /tensor tower\.1\.bias .* does not fit the 96-byte file/);
    const dir2 = path.join(root, 'model2');
    writeSavedModel(dir2, input());
    writeFileSync(path.join(dir2, 'vocab', 'user.txt'), 'u1\nu2\n');
    expectUsage(() => loadSavedModel(dir2), /user\.txt: 2 lines but feature 'user' keeps 3 values/);
  });
});

function expectUsage(run: () => unknown, message: RegExp): void {
  try {
    run();
  } catch (e) {
    expect(isUsageError(e), String(e)).toBe(true);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a UsageError');
}
