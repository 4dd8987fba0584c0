/**
 * Multi-size fields (NIS embedding blocks and the vocabulary cut): the id layout, rows read from the definition
 * (E_b · P_b, OOV for dim-0 blocks and cut ids), exact gradients against finite differences of a float64 forward
 * pass, the first optimizer step of every table and projection, the norm budget's decay of block rows, memory,
 * validation and training end to end.
 */
import seedrandom from 'seedrandom';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend.js';
import { blockLayout, blockParams } from '../../src/engine/block-layout.js';
import { createFieldEmbedding } from '../../src/engine/embedding-techniques.js';
import { inferenceBytes, trainingBytes } from '../../src/engine/memory.js';
import { CtrModel, type BatchSource } from '../../src/engine/model.js';
import { MultiSizeEmbedding } from '../../src/engine/multi-size-embedding.js';
import { train } from '../../src/engine/train.js';
import type { FieldConfig } from '../../src/engine/trial-config.js';
import { isUsageError } from '../../src/errors.js';
import { expectFirstAdamStep } from './first-step.js';
import { configFor, plantedDataset } from './fixtures.js';
import { checkAgainstFiniteDifferences, referenceLoss } from './reference-model.js';

const settings = { optimizer: 'adam' as const, lr: 0.01, maxBatch: 16 };

/** Row `id` from the definition, in float64: its block's row times the block's projection (or OOV's row). */
function definitionRow(e: MultiSizeEmbedding, params: Float64Array[], id: number): number[] {
  const D = e.dim;
  let p = 0;
  const withRows = e.layout.map((b) => {
    if (b.dim === 0) return null;
    const out = { table: params[p++], projection: b.projected ? params[p++] : null };
    return out;
  });
  const oov = e.rows - 2;
  let b = e.layout.findIndex((x) => id >= x.start && id < x.end);
  if (e.layout[b].dim === 0) {
    id = oov;
    b = e.layout.length - 1;
  }
  const block = e.layout[b];
  const w = withRows[b]!;
  const row = Array.from(w.table.subarray((id - block.start) * block.dim, (id - block.start + 1) * block.dim));
  if (!w.projection) return row;
  return Array.from({ length: D }, (_, j) => row.reduce((s, v, l) => s + v * w.projection![l * D + j], 0));
}

describe('multi-size layout', () => {
  const field: FieldConfig = {
    name: 'f',
    dim: 8,
    normAlpha: 0,
    blocks: { fractions: [0.1, 0.4, 0.5], dims: [8, 4, 0] },
  };

  it('splits the kept ids by frequency rank, cuts the vocabulary, and keeps OOV and missing at full dim', () => {
    const strip = (bs: ReturnType<typeof blockLayout>) => bs.map((b) => [b.start, b.end, b.dim, b.projected]);
    expect(strip(blockLayout(field, 102))).toEqual([
      [0, 10, 8, false],
      [10, 50, 4, true],
      [50, 100, 0, false],
      [100, 102, 8, false],
    ]);
    expect(strip(blockLayout({ ...field, keep: 0.5 }, 102))).toEqual([
      [0, 5, 8, false],
      [5, 25, 4, true],
      [25, 50, 0, false],
      [50, 100, 0, false],
      [100, 102, 8, false],
    ]);
    expect(strip(blockLayout({ name: 'g', dim: 4, normAlpha: 0, keep: 0.3 }, 12))).toEqual([
      [0, 3, 4, false],
      [3, 10, 0, false],
      [10, 12, 4, false],
    ]);
    // rows 10·8 + 40·4 + projection 4·8 + OOV and missing 2·8
    expect(blockParams(field, 102)).toBe(80 + 160 + 32 + 16);
  });

  // Without it, projections that never update still train (their random start carries the narrow rows) to 0.008 AUC
  // below the working blocks (0.7373 against 0.7456 in the training test below): too close for an AUC bound.
  it('first Adam step: touched rows of every block table and every entry of the projection move by lr against their gradient', () => {
    const e = createFieldEmbedding(field, 102, settings, seedrandom('s')) as MultiSizeEmbedding;
    // ids in the dim-8 block, the projected dim-4 block, a dim-0 block (read as OOV) and the missing row
    const ids = Int32Array.from([3, 20, 70, 3, 101]);
    const dx = Float32Array.from({ length: ids.length * 8 }, (_, i) => Math.sin(i + 1));
    const moved = expectFirstAdamStep(e, ids, dx, settings.lr);
    expect(e.parameters()).toHaveLength(4); // block 0, block 1 and its projection, OOV + missing
    for (const [p, n] of moved.entries()) expect(n, `parameter ${p}`).toBeGreaterThan(0);
  });

  it('decays the touched rows of every block by λ = min(1, α·Δ), so their effective rows E_b·P_b decay alike', () => {
    // 6 kept ids: [0, 3) at dim 4, [3, 6) at dim 2 through a projection, then OOV and missing at dim 4
    const blocks: FieldConfig = { name: 'f', dim: 4, normAlpha: 0.1, blocks: { fractions: [0.5, 0.5], dims: [4, 2] } };
    const e = createFieldEmbedding(blocks, 8, { ...settings, maxBatch: 4 }, seedrandom('d')) as MultiSizeEmbedding;
    const zero = new Float32Array(4 * 4); // no gradient: Adam moves nothing, only the decay acts
    const e0 = e.collapse();
    e.backward(Int32Array.from([1, 4, 7]), 3, zero, 4, 0);
    e.step(3); // ids 1, 4 and 7 never updated: Δ = 3, λ = 0.3
    e.backward(Int32Array.from([1]), 1, zero, 4, 0);
    e.step(5); // id 1 last updated at step 3: Δ = 2, λ = 0.2
    const e1 = e.collapse();
    const scale: Record<number, number> = { 1: 0.7 * 0.8, 4: 0.7, 7: 0.7 };
    for (let id = 0; id < 8; id++) {
      for (let j = 0; j < 4; j++) expect(e1[id * 4 + j], `id ${id}`).toBeCloseTo(e0[id * 4 + j] * (scale[id] ?? 1), 7);
    }
  });

  it('reads E_b·P_b, and the OOV row for ids of a dim-0 block or beyond the cut', () => {
    const e = createFieldEmbedding({ ...field, keep: 0.8 }, 102, settings, seedrandom('l')) as MultiSizeEmbedding;
    expect(e).toBeInstanceOf(MultiSizeEmbedding);
    const params = e.parameters().map((p) => Float64Array.from(p));
    const table = e.collapse();
    for (let id = 0; id < 102; id++) {
      const expected = definitionRow(e, params, id);
      expected.forEach((v, j) => expect(table[id * 8 + j]).toBeCloseTo(v, 6));
    }
    const oovRow = Array.from(table.subarray(100 * 8, 101 * 8));
    expect(Array.from(table.subarray(60 * 8, 61 * 8))).toEqual(oovRow); // dim-0 block
    expect(Array.from(table.subarray(90 * 8, 91 * 8))).toEqual(oovRow); // beyond the cut (80)
    expect(Array.from(table.subarray(101 * 8, 102 * 8))).not.toEqual(oovRow); // missing has its own row
    const ids = Int32Array.from([3, 20, 70, 101]);
    const x = new Float32Array(4 * 10);
    e.lookup(ids, 4, x, 10, 2);
    ids.forEach((id, r) =>
      expect(Array.from(x.subarray(r * 10 + 2, r * 10 + 10))).toEqual(Array.from(table.subarray(id * 8, id * 8 + 8))),
    );
  });

  it('counts memory: inference as blocks and projections, training as the allocated embedding reports', async () => {
    await initBackend('cpu');
    const data = plantedDataset({ rows: 40, informative: 2, noise: 1, cardinality: 100, seed: 3 });
    const config = configFor(data, { tower: [8], batchSize: 16 });
    config.fields[0] = { ...config.fields[0], ...field };
    const rows = data.fields.map((f) => f.rows);
    const plain = { ...config, fields: config.fields.map(({ blocks: _b, ...f }) => f) };
    expect(inferenceBytes(plain, rows) - inferenceBytes(config, rows)).toBe((102 * 8 - blockParams(field, 102)) * 4);
    const model = new CtrModel(config, rows, 16);
    try {
      expect(model.embedding(0)!.inferenceBytes).toBe(blockParams(field, 102) * 4);
      const others = new CtrModel(plain, rows, 16);
      try {
        // the estimate from the config alone equals what the allocated embeddings report
        expect(trainingBytes(config, rows) - trainingBytes(plain, rows)).toBe(
          model.embeddingTrainingBytes - others.embeddingTrainingBytes,
        );
      } finally {
        others.dispose();
      }
    } finally {
      model.dispose();
    }
  });

  it('rejects bad blocks and combinations with one line naming the field', async () => {
    const data = plantedDataset({ rows: 200, cardinality: 10, seed: 4 });
    const bad: [Partial<FieldConfig>, RegExp][] = [
      [{ dim: 4, blocks: { fractions: [0.5, 0.4], dims: [4, 2] } }, /fractions is \[0.5, 0.4\]/],
      [{ dim: 4, blocks: { fractions: [0.5, 0.5], dims: [2, 2] } }, /blocks.dims is \[2, 2\] with dim 4/],
      [{ dim: 4, blocks: { fractions: [0.5, 0.5], dims: [4, 8] } }, /blocks.dims is \[4, 8\]/],
      [{ dim: 4, keep: 0 }, /keep is 0/],
      [{ dim: 4, keep: 0.5, mletFactor: 2 }, /combines mletFactor with keep/],
    ];
    for (const [patch, message] of bad) {
      const config = configFor(data);
      config.fields[0] = { ...config.fields[0], ...patch };
      const err = await train(config, data).catch((e: unknown) => e);
      expect(isUsageError(err)).toBe(true);
      expect((err as Error).message).toMatch(/fields\[0\] \(signal0\)|fields\[0\] \(signal0\)\./);
      expect((err as Error).message).toMatch(message);
    }
  });
});

describe('multi-size fields in the model', () => {
  it('has the gradients of finite differences for every block table and projection', async () => {
    await initBackend('cpu');
    const data = plantedDataset({ rows: 60, informative: 2, noise: 1, cardinality: 10, seed: 9 });
    const src: BatchSource = { ids: data.ids, labels: data.labels, numFields: 3 };
    const config = configFor(data, { tower: [5], seed: 3 });
    config.fields[0] = { ...config.fields[0], dim: 4, blocks: { fractions: [0.3, 0.3, 0.4], dims: [4, 2, 0] } };
    config.fields[1] = { ...config.fields[1], dim: 3, keep: 0.5 };
    config.fields[2] = { ...config.fields[2], dim: 2 };
    const model = new CtrModel(
      config,
      data.fields.map((f) => f.rows),
      32,
    );
    try {
      for (const f of [0, 1]) for (const p of model.embedding(f)!.parameters()) p.forEach((v, i, a) => (a[i] = v * 20));
      const rows = 32;
      const grads = model.gradients(src, null, 0, rows);
      const params = [0, 1, 2].map((f) =>
        model
          .embedding(f)!
          .parameters()
          .map((p) => Float64Array.from(p)),
      );
      const rowsOf = [0, 1, 2].map((f) => {
        const e = model.embedding(f)!;
        return e instanceof MultiSizeEmbedding
          ? (id: number) => definitionRow(e, params[f], id)
          : (id: number) => Array.from(params[f][0].subarray(id * e.dim, (id + 1) * e.dim));
      });
      const tower = model.tower.parameters().map((p) => Float64Array.from(p));
      const loss = () => referenceLoss(rowsOf, tower, src, rows);
      expect(grads.loss).toBeCloseTo(loss(), 5);
      let checked = 0;
      for (const f of [0, 1]) {
        params[f].forEach((target, p) => {
          checked += checkAgainstFiniteDifferences(
            `field ${f} parameter ${p}`,
            target,
            grads.embeddingParams[f][p],
            loss,
          );
        });
      }
      expect(checked).toBeGreaterThan(30); // not vacuous
      // field 0 has two blocks with rows (dim 4, dim 2 with its projection) and the OOV/missing block
      expect(grads.embeddingParams[0].map((g) => g.length)).toEqual([3 * 4, 3 * 2, 2 * 4, 2 * 4]);
    } finally {
      model.dispose();
    }
  });

  it('trains, deterministically and without leaking tensors, and learns the signal through narrow blocks', async () => {
    await initBackend('wasm');
    const data = plantedDataset({ rows: 4000, informative: 2, noise: 1, cardinality: 40, seed: 5 });
    const config = configFor(data, { epochs: 2, lr: 0.02, seed: 4 }, 8);
    config.fields[0] = { ...config.fields[0], blocks: { fractions: [0.2, 0.8], dims: [8, 2] } };
    config.fields[1] = { ...config.fields[1], keep: 0.5 };
    // The same config without field 0's blocks (a plain dim-8 table, field 1 still cut): what the blocks are measured against.
    const cutOnly = { ...config, fields: config.fields.map(({ blocks: _b, ...f }) => f) };
    const before = tf.memory().numTensors;
    const a = await train(config, data);
    const b = await train(config, data);
    const plain = await train(cutOnly, data);
    expect(tf.memory().numTensors).toBe(before);
    expect(b.validAuc).toBe(a.validAuc);
    expect(a.validAuc).toBeGreaterThan(0.6);
    // Measured: the blocks 0.002 above the plain table (0.7456 against 0.7435); with the block tables' update removed,
    // 0.088 below (0.6239 against 0.7115, which loses too: its cut field is a block table). 0.02 leaves ten times the
    // normal difference and still catches that; the first-step test catches a projection without its update (0.006).
    expect(a.validAuc).toBeGreaterThan(plain.validAuc - 0.02);
    const rows = data.fields.map((f) => f.rows);
    expect(a.inferenceBytes).toBe(inferenceBytes(config, rows));
    expect(a.inferenceBytes).toBeLessThan(
      inferenceBytes({ ...config, fields: config.fields.map(({ blocks: _b, keep: _k, ...f }) => f) }, rows),
    );
  });
});
