/**
 * Res-embedding fields (row = cluster centre + residual): lookup and collapse read C[cluster] + R, exact gradients of C
 * and R against finite differences of an independent float64 forward pass, the first optimizer step of both, the
 * residual's own decay, memory, the config checks, and training through train() (deterministic, no leaked tensors).
 */
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend.js';
import { createFieldEmbedding } from '../../src/engine/embedding-techniques.js';
import { inferenceBytes, trainingBytes } from '../../src/engine/memory.js';
import { CtrModel, type BatchSource } from '../../src/engine/model.js';
import { ResEmbedding } from '../../src/engine/res-embedding.js';
import { train } from '../../src/engine/train.js';
import type { FieldConfig, TrialConfig } from '../../src/engine/trial-config.js';
import { isUsageError } from '../../src/errors.js';
import { expectFirstAdamStep } from './first-step.js';
import { configFor, plantedDataset } from './fixtures.js';
import { checkAgainstFiniteDifferences, referenceLoss } from './reference-model.js';

const settings = { optimizer: 'adam' as const, lr: 0.01, maxBatch: 8 };
/** Clusters id mod k: enough for the engine, which takes any map. */
const modClusters = (rows: number) => (k: number) => Int32Array.from({ length: rows }, (_, i) => i % k);

interface Res {
  c: Float64Array;
  r: Float64Array;
  clusterOf: Int32Array;
  dim: number;
}

describe('Res-embedding', () => {
  const data = plantedDataset({ rows: 40, informative: 2, noise: 1, cardinality: 5, seed: 9 });
  const src: BatchSource = { ids: data.ids, labels: data.labels, numFields: 3 };

  it('looks up and collapses to C[cluster] + R, with R starting at zero', () => {
    const field: FieldConfig = { name: 'f', dim: 3, normAlpha: 0, resClusters: 2, resAlpha: 0.01 };
    const e = createFieldEmbedding(field, 7, settings, seedrandom('l'), modClusters(7)) as ResEmbedding;
    expect(e.kind).toBe('res');
    expect(Array.from(e.residual)).toEqual(new Array(21).fill(0));
    e.residual.forEach((_, i, a) => (a[i] = Math.sin(i) * 0.1));
    const ids = Int32Array.from([6, 0, 3, 3]);
    const x = new Float32Array(4 * 5);
    e.lookup(ids, 4, x, 5, 2);
    const table = e.collapse();
    ids.forEach((id, r) => {
      const expected = [0, 1, 2].map((j) => Math.fround(e.central.weights[(id % 2) * 3 + j] + e.residual[id * 3 + j]));
      expect(Array.from(x.subarray(r * 5 + 2, r * 5 + 5))).toEqual(expected);
      expect(Array.from(table.subarray(id * 3, id * 3 + 3))).toEqual(expected);
    });
    expect(() => createFieldEmbedding(field, 7, settings, seedrandom('l'))).toThrow(/no cluster source/);
    expect(() => createFieldEmbedding(field, 7, settings, seedrandom('l'), () => new Int32Array(7).fill(2))).toThrow(
      /outside/,
    );
  });

  it('has the gradients of finite differences for C and R', async () => {
    await initBackend('cpu');
    const config = configFor(data, { tower: [6], seed: 11 });
    config.fields[0] = { ...config.fields[0], dim: 2, resClusters: 3 };
    config.fields[1] = { ...config.fields[1], dim: 0, resClusters: 2 }; // dropped: nothing at all
    config.fields[2] = { ...config.fields[2], dim: 3, resClusters: 2, maxNorm: 1 };
    const model = new CtrModel(
      config,
      data.fields.map((f) => f.rows),
      16,
      (_field, k) => modClusters(7)(k),
    );
    try {
      expect(model.embedding(0)).toBeInstanceOf(ResEmbedding);
      expect(model.embedding(1)).toBeUndefined();
      expect(model.table(0)).toBeUndefined();
      // Spread C and R so gradients are well above float32 noise.
      for (const f of [0, 2])
        for (const p of model.embedding(f)!.parameters()) p.forEach((_, i, a) => (a[i] = Math.cos(3 * i + f) * 0.5));
      const rows = 16;
      const grads = model.gradients(src, null, 0, rows);
      const fields = config.fields.map((f, i): Res | null => {
        const e = model.embedding(i) as ResEmbedding | undefined;
        if (!e) return null;
        const [c, r] = e.parameters().map((p) => Float64Array.from(p));
        return { c, r, clusterOf: e.clusterMap(), dim: f.dim };
      });
      const tower = model.tower.parameters().map((p) => Float64Array.from(p));
      // Row v read as C[cluster(v)] + R[v], from the float64 copies the finite differences perturb.
      const readers = fields.map((f) =>
        f
          ? (id: number) =>
              Array.from({ length: f.dim }, (_, j) => f.c[f.clusterOf[id] * f.dim + j] + f.r[id * f.dim + j])
          : null,
      );
      const loss = () => referenceLoss(readers, tower, src, rows);
      expect(grads.loss).toBeCloseTo(loss(), 5);
      let checked = 0;
      fields.forEach((f, i) => {
        if (!f) return expect(grads.embeddingParams[i]).toEqual([]);
        expect(Array.from(grads.embeddings[i])).toEqual(Array.from(grads.embeddingParams[i][1])); // dE = dR
        [f.c, f.r].forEach((target, p) => {
          checked += checkAgainstFiniteDifferences(
            `field ${i} ${p === 0 ? 'C' : 'R'}`,
            target,
            grads.embeddingParams[i][p],
            loss,
          );
        });
      });
      expect(checked).toBeGreaterThan(15); // not vacuous: 47 parameters in all
      // rows never in the batch (OOV, missing: ids 5 and 6) get no residual gradient
      expect(Array.from(grads.embeddingParams[0][1].subarray(5 * 2))).toEqual(new Array(4).fill(0));
    } finally {
      model.dispose();
    }
  });

  // Without it, a residual that never updates still trains to within ~0.02 AUC of a plain table (its centres learn),
  // and centres that never update to a better one (the residuals act as a plain table): train() cannot tell.
  it('first Adam step: the batch clusters’ rows of C and the batch ids’ rows of R move by lr against their gradient, others stay', () => {
    const field: FieldConfig = { name: 'f', dim: 3, normAlpha: 0, resClusters: 3, resAlpha: 0 };
    const clusterOf = modClusters(10);
    const e = createFieldEmbedding(field, 10, settings, seedrandom('s'), clusterOf) as ResEmbedding;
    const ids = Int32Array.from([1, 4, 1, 7, 5]);
    const dx = Float32Array.from({ length: ids.length * 3 }, (_, i) => Math.sin(i + 1));
    const moved = expectFirstAdamStep(e, ids, dx, settings.lr);
    const clusters = new Set(Array.from(ids, (id) => clusterOf(3)[id]));
    expect(clusters.size).toBeLessThan(3); // a cluster outside the batch, which must stay
    expect(moved).toEqual([3 * clusters.size, 3 * new Set(ids).size]);
  });

  it('decays touched residual rows by min(1, resAlpha·Δ) and central rows by the field’s normAlpha', () => {
    const field: FieldConfig = { name: 'f', dim: 2, normAlpha: 0.05, resClusters: 2, resAlpha: 0.1 };
    const e = createFieldEmbedding(
      field,
      6,
      { ...settings, maxBatch: 4 },
      seedrandom('d'),
      modClusters(6),
    ) as ResEmbedding;
    e.residual.fill(1);
    const [c0, r0] = e.parameters().map((p) => p.slice());
    const zero = new Float32Array(4 * 2); // no gradient: Adam moves nothing, only the decays act
    e.backward(Int32Array.from([2, 3]), 2, zero, 2, 0);
    e.step(3); // rows 2, 3 and clusters 0, 1 never updated: Δ = 3
    e.backward(Int32Array.from([2]), 1, zero, 2, 0);
    e.step(5); // row 2 and cluster 0 last updated at step 3: Δ = 2
    for (let j = 0; j < 2; j++) {
      expect(e.residual[2 * 2 + j]).toBeCloseTo(r0[2 * 2 + j] * 0.7 * 0.8, 6);
      expect(e.residual[3 * 2 + j]).toBeCloseTo(r0[3 * 2 + j] * 0.7, 6);
      expect(e.residual[0 * 2 + j]).toBe(1);
      expect(e.central.weights[0 * 2 + j]).toBeCloseTo(c0[j] * 0.85 * 0.9, 7);
      expect(e.central.weights[1 * 2 + j]).toBeCloseTo(c0[2 + j] * 0.85, 7);
    }
  });

  it('counts memory: inference as a plain table, training with C, R, their optimizer state and the cluster map', () => {
    const base: TrialConfig = {
      ...configFor(data, { batchSize: 16, tower: [8] }),
      fields: [
        { name: 'signal0', dim: 4, normAlpha: 0 },
        { name: 'signal1', dim: 0, normAlpha: 0 },
        { name: 'noise0', dim: 2, normAlpha: 1e-3 },
      ],
    };
    const rows = [100, 50, 7];
    const res = {
      ...base,
      fields: base.fields.map((f, i) => ({ ...f, resClusters: [8, 4, 3][i], resAlpha: [1e-3, 0, 0][i] })),
    };
    expect(inferenceBytes(res, rows)).toBe(inferenceBytes(base, rows));
    // field 0: C 8×4 + R 100×4, Adam ×3, R's decay steps, cluster map, R's and C's batch bookkeeping, batch clusters
    const field0 = (8 + 100) * 4 * 4 * 3 + 100 * 4 + 100 * 4 + (100 * 4 + 16 * 5 * 4) + (8 * 4 + 8 * 5 * 4) + 16 * 4;
    const plain0 = 100 * 4 * 4 * 3 + 100 * 4 + 16 * 5 * 4;
    // field 2: C 3×2 + R 7×2, C's decay steps (normAlpha > 0), no R decay (α 0)
    const field2 = (3 + 7) * 2 * 4 * 3 + 3 * 4 + 7 * 4 + (7 * 4 + 7 * 3 * 4) + (3 * 4 + 3 * 3 * 4) + 16 * 4;
    const plain2 = 7 * 2 * 4 * 3 + 7 * 4 + 7 * 4 + 7 * 3 * 4;
    expect(trainingBytes(res, rows) - trainingBytes(base, rows)).toBe(field0 - plain0 + field2 - plain2);
    const model = new CtrModel(res, rows, 16, (field, k) => modClusters(rows[field])(k));
    try {
      expect(model.embeddingTrainingBytes).toBe(field0 + field2);
      expect(model.embedding(0)!.inferenceBytes).toBe(100 * 4 * 4);
    } finally {
      model.dispose();
    }
  });

  it('rejects bad values and Res-embedding combined with MLET, naming the field', async () => {
    const message = async (f: Partial<FieldConfig>) => {
      const config = configFor(data);
      config.fields[2] = { ...config.fields[2], ...f };
      const err = await train(config, data).catch((e: unknown) => e);
      expect(isUsageError(err)).toBe(true);
      return (err as Error).message;
    };
    expect(await message({ resClusters: 1.5 })).toMatch(/fields\[2\]\.resClusters \(noise0\) is 1.5/);
    expect(await message({ resClusters: 2, resAlpha: -1 })).toMatch(/fields\[2\]\.resAlpha \(noise0\) is -1/);
    expect(await message({ resClusters: 2, mletFactor: 2 })).toMatch(
      /fields\[2\] \(noise0\) combines mletFactor with resClusters/,
    );
  });
});

describe('Res-embedding inside train()', () => {
  const data = plantedDataset({ rows: 4000, informative: 2, noise: 1, cardinality: 40, seed: 5 });

  it('learns as well as a plain table, deterministically, without leaking tensors', async () => {
    await initBackend('wasm');
    const plain = configFor(data, { epochs: 2, seed: 4 });
    const res = { ...plain, fields: plain.fields.map((f) => ({ ...f, resClusters: 8, resAlpha: 1e-3 })) };
    const before = tf.memory().numTensors;
    const [p, r, again] = [await train(plain, data), await train(res, data), await train(res, data)];
    expect(tf.memory().numTensors).toBe(before);
    expect(r.validAuc).toBeGreaterThan(0.7);
    // Measured: Res 0.0021 above plain; with the residual's update removed, 0.0208 below (its centres still learn).
    // 0.01 sits between the two; the first-step test above catches that break on its own as well.
    expect(r.validAuc).toBeGreaterThan(p.validAuc - 0.01);
    expect(again.epochs).toEqual(r.epochs.map((e, i) => ({ ...e, seconds: again.epochs[i].seconds })));
    expect(r.inferenceBytes).toBe(p.inferenceBytes);
    expect(r.trainingBytes).toBeGreaterThan(p.trainingBytes);
  });
});
