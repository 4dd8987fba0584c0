/**
 * The weight-sharing supernet: a configuration's mask must leave masked columns and switched-off fields exactly as
 * they were (weights and optimizer state, under Adam's momentum too), and must feed the tower exactly what a
 * stand-alone model with those columns as its tables would.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend.js';
import { loglossFromLogits } from '../../src/engine/metrics.js';
import { CtrModel } from '../../src/engine/model.js';
import { Supernet, type SubnetConfig, type SupernetSpec } from '../../src/engine/supernet/supernet.js';
import type { OptimizerName } from '../../src/engine/trial-config.js';
import { configFor, plantedDataset } from './fixtures.js';
import { referenceLoss } from './reference-model.js';

const data = plantedDataset({ rows: 3000, informative: 2, noise: 2, cardinality: 20, seed: 2 });
const src = { ids: data.ids, labels: data.labels, numFields: data.fields.length };
const rows = data.fields.map((f) => f.rows);
const spec = (optimizer: OptimizerName): SupernetSpec => ({
  fields: data.fields.map((f) => ({ name: f.name, maxDim: 6 })),
  tower: [8],
  optimizer,
  lr: 0.02,
  seed: 5,
});
const full: SubnetConfig = data.fields.map(() => ({ dim: 6, normAlpha: 0 }));
/** Field 0 whole, field 1 its first 3 columns with a decay, field 2 off, field 3 its first 2 columns. */
const masked: SubnetConfig = [
  { dim: 6, normAlpha: 0 },
  { dim: 3, normAlpha: 1e-3 },
  { dim: 0, normAlpha: 0 },
  { dim: 2, normAlpha: 0 },
];

/** Copies of the optimizer's per-parameter state (Adam's m and v, Adagrad's sums). */
function optimizerState(net: Supernet, f: number): Float32Array[] {
  return net.tables[f]!.optimizer.getState();
}

/** Entries of a rows × 6 array in columns [from, to). */
function columns(a: Float32Array, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (i % 6 >= from && i % 6 < to) out.push(a[i]);
  return out;
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('supernet masking', () => {
  it.each(['adam', 'adagrad'] as const)(
    '%s: masked columns and a switched-off field keep weights and optimizer state exactly',
    (optimizer) => {
      const before = tf.memory().numTensors;
      const net = new Supernet(spec(optimizer), rows, 256);
      for (let b = 0; b < 4; b++) net.trainBatch(full, src, null, b * 128, 128); // every column trained: non-zero state
      const w0 = net.tables.map((t) => t!.table.weights.slice());
      const s0 = net.tables.map((_, f) => optimizerState(net, f));
      for (let b = 4; b < 10; b++) net.trainBatch(masked, src, null, b * 128, 128);
      const w1 = net.tables.map((t) => t!.table.weights);
      const s1 = net.tables.map((_, f) => optimizerState(net, f));
      expect(s0[0].length).toBe(optimizer === 'adam' ? 2 : 1);
      // switched off: everything identical
      expect(Array.from(w1[2])).toEqual(Array.from(w0[2]));
      s1[2].forEach((s, k) => expect(Array.from(s)).toEqual(Array.from(s0[2][k])));
      // masked columns identical, active ones trained
      for (const [f, d] of [
        [1, 3],
        [3, 2],
      ]) {
        expect(columns(w1[f], d, 6)).toEqual(columns(w0[f], d, 6));
        s1[f].forEach((s, k) => expect(columns(s, d, 6)).toEqual(columns(s0[f][k], d, 6)));
        expect(columns(w1[f], 0, d)).not.toEqual(columns(w0[f], 0, d));
      }
      expect(Array.from(w1[0])).not.toEqual(Array.from(w0[0]));
      net.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('feeds the tower what a stand-alone model with the first d columns as its tables would', () => {
    const before = tf.memory().numTensors;
    const net = new Supernet(spec('adam'), rows, 256);
    for (let b = 0; b < 6; b++) net.trainBatch(b % 2 ? masked : full, src, null, b * 128, 128);
    const count = 200;
    const x = net.load(masked, src, null, 0, count).slice(0, count * net.width);
    const config = configFor(data, { tower: [8] });
    masked.forEach((m, f) => (config.fields[f].dim = m.dim));
    const alone = new CtrModel(config, rows, 256);
    const width = alone.width;
    const xAlone = new Float32Array(count * width);
    const ids = new Int32Array(count);
    for (const a of alone.active) {
      alone.table(a.field)!.weights.set(net.tables[a.field]!.slice(masked[a.field].dim));
      for (let b = 0; b < count; b++) ids[b] = data.ids[b * src.numFields + a.field];
      a.embedding.lookup(ids, count, xAlone, width, a.offset);
    }
    // the supernet's input, its masked columns taken out, is the stand-alone input; the masked columns are zeros
    const kept: number[] = [];
    const zeros: number[] = [];
    masked.forEach((m, f) => {
      for (let k = 0; k < 6; k++) (k < m.dim ? kept : zeros).push(net.offsets[f] + k);
    });
    for (let b = 0; b < count; b++) {
      kept.forEach((c, j) => expect(Math.abs(x[b * net.width + c] - xAlone[b * width + j])).toBeLessThanOrEqual(1e-6));
      zeros.forEach((c) => expect(x[b * net.width + c]).toBe(0));
    }
    // and the supernet's logits are the stand-alone model's: its first layer holds only the kept columns' rows
    const params = net.tower.parameters();
    const w0 = new Float64Array(kept.length * 8);
    kept.forEach((c, j) => w0.set(params[0].subarray(c * 8, (c + 1) * 8), j * 8));
    const tower = [w0, ...params.slice(1).map((p) => Float64Array.from(p))];
    const readers = masked.map((m, f) =>
      m.dim === 0
        ? null
        : (id: number) => Array.from(net.tables[f]!.slice(m.dim).subarray(id * m.dim, (id + 1) * m.dim)),
    );
    const logits = net.predict(masked, src, 0, count);
    const labels = data.labels.subarray(0, count);
    expect(Math.abs(loglossFromLogits(logits, labels) - referenceLoss(readers, tower, src, count))).toBeLessThan(1e-6);
    alone.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a dim wider than the field was built for', () => {
    const net = new Supernet(spec('adam'), rows, 256);
    const tooWide = full.map((f, i) => (i === 1 ? { ...f, dim: 7 } : f));
    expect(() => net.trainBatch(tooWide, src, null, 0, 16)).toThrow(/dim 7 is outside/);
    net.dispose();
  });
});
