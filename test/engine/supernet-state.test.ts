/**
 * A one-shot search resumed from a checkpoint must end bit for bit where the uninterrupted run ends: capture at step
 * k, encode, decode, restore into a supernet built from another seed (so every value must be overwritten), continue,
 * and compare tables, lastStep, tower and predictions exactly, for Adam (whose bias-correction products tfjs's own
 * setWeights would recompute inexactly) and Adagrad. Also: foreign or cut blobs and other specs are refused, and
 * nothing leaks tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend.js';
import { BatchOrder } from '../../src/engine/batches.js';
import {
  captureSupernet,
  decodeSupernetState,
  encodeSupernetState,
  restoreSupernet,
  type SupernetState,
} from '../../src/engine/supernet/supernet-state.js';
import { Supernet, type SubnetConfig, type SupernetSpec } from '../../src/engine/supernet/supernet.js';
import type { OptimizerName } from '../../src/engine/trial-config.js';
import { plantedDataset } from './fixtures.js';

const data = plantedDataset({ rows: 3000, informative: 2, noise: 3, cardinality: 20, seed: 2 });
const src = { ids: data.ids, labels: data.labels, numFields: data.fields.length };
const rows = data.fields.map((f) => f.rows);
const MAX_DIMS = [6, 4, 0, 5, 3]; // field 2 has no table
const spec = (optimizer: OptimizerName, seed: number, over: Partial<SupernetSpec> = {}): SupernetSpec => ({
  fields: data.fields.map((f, i) => ({ name: f.name, maxDim: MAX_DIMS[i], ...(i === 1 && { maxNorm: 0.15 }) })),
  tower: [8, 4],
  optimizer,
  lr: 0.02,
  seed,
  ...over,
});
const sub = (dims: number[], alphas: number[] = []): SubnetConfig =>
  dims.map((dim, i) => ({ dim, normAlpha: alphas[i] ?? 0 }));
/** Full width, fields off, partial dims, norm decay: a different mask every step. */
const CONFIGS = [
  sub([6, 4, 0, 5, 3]),
  sub([3, 4, 0, 0, 2], [0, 1e-3]),
  sub([6, 2, 0, 5, 0], [5e-3]),
  sub([1, 0, 0, 5, 3], [0, 0, 0, 2e-3]),
];
const N = 20;
const BATCH = 100;
const EPOCH = 6; // batches between reshuffles

function train(net: Supernet, order: BatchOrder, from: number, to: number): void {
  for (let s = from; s < to; s++) {
    if (s % EPOCH === 0) order.shuffle();
    net.trainBatch(CONFIGS[s % CONFIGS.length], src, order.rows, (s % EPOCH) * BATCH, BATCH);
  }
}

/** Everything compared, float bits as integers so that −0, +0 and NaN payloads count too. */
function snapshot(net: Supernet): unknown {
  const bits = (a: Float32Array | Int32Array): Int32Array =>
    new Int32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
  const state = captureSupernet(net);
  return {
    step: net.step,
    tables: net.tables.map((t) => t && { weights: bits(t.table.weights), lastStep: t.lastStep.slice() }),
    tower: net.tower.parameters().map(bits),
    predictions: CONFIGS.map((c) => bits(net.predict(c, src, 2400, 2700))),
    state: { meta: state.meta, buffers: state.buffers.map(bits) },
  };
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('supernet state', () => {
  it.each(['adam', 'adagrad'] as const)(
    '%s: interrupted at step k, restored into another supernet, ends as the uninterrupted run',
    (optimizer) => {
      const before = tf.memory().numTensors;
      const whole = new Supernet(spec(optimizer, 5), rows, 256);
      train(whole, new BatchOrder(data.splits.train, 9), 0, N);
      const expected = snapshot(whole);
      whole.dispose();
      for (const k of [0, 7, 13]) {
        const first = new Supernet(spec(optimizer, 5), rows, 256);
        const order = new BatchOrder(data.splits.train, 9);
        train(first, order, 0, k);
        const captured = captureSupernet(first);
        expect(captured.meta.towerState.slots).toBe(k === 0 ? 0 : optimizer === 'adam' ? 2 : 1);
        const blob = encodeSupernetState(captured);
        const orderState = { ...order.getState(), rng: JSON.parse(JSON.stringify(order.getState().rng)) };
        first.dispose();

        const resumed = new Supernet(spec(optimizer, 77), rows, 256);
        expect(resumed.tables[0]!.table.weights).not.toEqual(captured.buffers[0]);
        restoreSupernet(resumed, decodeSupernetState(blob));
        const resumedOrder = new BatchOrder(data.splits.train, 1234);
        resumedOrder.setState(orderState);
        train(resumed, resumedOrder, k, N);
        expect(snapshot(resumed)).toEqual(expected);
        resumed.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('capture and restore leak no tensor, restoring twice replaces the slots', () => {
    const before = tf.memory().numTensors;
    const a = new Supernet(spec('adam', 5), rows, 256);
    train(a, new BatchOrder(data.splits.train, 9), 0, 3);
    const one = tf.memory().numTensors - before;
    const state = captureSupernet(a);
    const b = new Supernet(spec('adam', 6), rows, 256);
    restoreSupernet(b, state);
    restoreSupernet(b, state);
    captureSupernet(b);
    expect(tf.memory().numTensors - before).toBe(2 * one);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses cut and foreign blobs and the state of another spec, writing nothing', () => {
    const net = new Supernet(spec('adam', 5), rows, 256);
    train(net, new BatchOrder(data.splits.train, 9), 0, 2);
    const state = captureSupernet(net);
    const blob = encodeSupernetState(state);
    expect(() => decodeSupernetState(blob.subarray(0, blob.length - 1))).toThrow(/truncated state blob/);
    expect(() => decodeSupernetState(blob.subarray(0, 30))).toThrow(/truncated state blob/);
    const foreign = Buffer.from(blob);
    foreign.write('PK', 0, 'latin1');
    expect(() => decodeSupernetState(foreign)).toThrow(/not an embnas state blob/);
    expect(() => decodeSupernetState(Buffer.from('{"meta":{}}'))).toThrow(/not an embnas state blob/);
    const refused =
      (over: Partial<SupernetSpec>, fieldRows = rows): (() => void) =>
      () => {
        const other = new Supernet({ ...spec('adam', 5), ...over }, fieldRows, 256);
        try {
          restoreSupernet(other, state);
        } finally {
          other.dispose();
        }
      };
    expect(refused({ tower: [8] })).toThrow(/does not fit this supernet: tower \[8,4\] in the state, \[8\] here/);
    expect(refused({ optimizer: 'adagrad' })).toThrow(/does not fit.*optimizer adam in the state, adagrad here/);
    const narrower = spec('adam', 5).fields.map((f, i) => (i === 3 ? { ...f, maxDim: 4 } : f));
    expect(refused({ fields: narrower })).toThrow(/field 3 \(noise1\): maxDim 5 in the state, 4 here/);
    expect(
      refused(
        {},
        rows.map((r) => r + 1),
      ),
    ).toThrow(/field 0 \(signal0\): rows 22 in the state, 23 here/);
    // a bad tower array is found after the tables were checked, before anything was written
    const fresh = new Supernet(spec('adam', 6), rows, 256);
    const weights = fresh.tables[0]!.table.weights.slice();
    const bad: SupernetState = {
      meta: state.meta,
      buffers: [...state.buffers.slice(0, -1), new Float32Array(state.buffers.at(-1)!.length + 1)],
    };
    expect(() => restoreSupernet(fresh, bad)).toThrow(
      /tower state does not fit this tower: array \d+ should be a Float32Array/,
    );
    expect(fresh.tables[0]!.table.weights).toEqual(weights);
    expect(fresh.step).toBe(0);
    fresh.dispose();
    net.dispose();
  });
});
