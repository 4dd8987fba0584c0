/**
 * MLET fields (A·B factorised tables): exact gradients of A and B against finite differences of an independent
 * float64 forward pass, the first optimizer step, initial scale, the cap on effective rows, memory, learning.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend.js';
import { EMBEDDING_INIT_SCALE } from '../../src/engine/embedding-table.js';
import { createFieldEmbedding } from '../../src/engine/embedding-techniques.js';
import { inferenceBytes, trainingBytes } from '../../src/engine/memory.js';
import { MletEmbedding } from '../../src/engine/mlet-embedding.js';
import { CtrModel, type BatchSource } from '../../src/engine/model.js';
import { train } from '../../src/engine/train.js';
import type { FieldConfig, TrialConfig } from '../../src/engine/trial-config.js';
import { isUsageError } from '../../src/errors.js';
import { configFor, plantedDataset } from './fixtures.js';
import { checkAgainstFiniteDifferences, referenceLoss } from './reference-model.js';

interface Factors {
  a: Float64Array;
  b: Float64Array;
  dim: number;
  inner: number;
  maxNorm?: number;
}

/** Row `id` of the effective table, written from the definition: A[id]·B, scaled onto the maxNorm ball if outside. */
function effectiveRow(f: Factors, id: number): number[] {
  const e = Array.from({ length: f.dim }, (_, j) => {
    let s = 0;
    for (let l = 0; l < f.inner; l++) s += f.a[id * f.inner + l] * f.b[l * f.dim + j];
    return s;
  });
  const norm = Math.hypot(...e);
  return f.maxNorm !== undefined && norm > f.maxNorm ? e.map((x) => (x * f.maxNorm!) / norm) : e;
}

describe('MLET embedding', () => {
  const data = plantedDataset({ rows: 40, informative: 2, noise: 1, cardinality: 5, seed: 9 });
  const src: BatchSource = { ids: data.ids, labels: data.labels, numFields: 3 };

  it('has the gradients of finite differences for A and B, with and without the cap on effective rows', async () => {
    await initBackend('cpu');
    const config = configFor(data, { tower: [6], seed: 11 });
    config.fields[0] = { ...config.fields[0], dim: 2, mletFactor: 2 };
    config.fields[1] = { ...config.fields[1], dim: 0, mletFactor: 4 }; // dropped: no factors at all
    config.fields[2] = { ...config.fields[2], dim: 3, mletFactor: 1, maxNorm: 1 };
    const model = new CtrModel(
      config,
      data.fields.map((f) => f.rows),
      16,
    );
    try {
      expect(model.embedding(0)).toBeInstanceOf(MletEmbedding);
      expect(model.embedding(1)).toBeUndefined();
      expect(model.table(0)).toBeUndefined(); // no plain table behind an MLET field
      // Spread A to ±1 so gradients are well above float32 noise and some effective rows of field 2 exceed maxNorm.
      for (const f of [0, 2])
        model
          .embedding(f)!
          .parameters()[0]
          .forEach((v, i, a) => (a[i] = v * 20));
      const mlet2 = model.embedding(2) as MletEmbedding;
      const norms = Array.from({ length: 7 }, (_, id) =>
        Math.hypot(
          ...effectiveRow({ a: Float64Array.from(mlet2.a), b: Float64Array.from(mlet2.b), dim: 3, inner: 3 }, id),
        ),
      );
      expect(norms.filter((n) => n > 1).length).toBeGreaterThan(0);
      expect(norms.filter((n) => n < 1).length).toBeGreaterThan(0);

      const rows = 16;
      const grads = model.gradients(src, null, 0, rows);
      const fields = config.fields.map((f, i): Factors | null => {
        const e = model.embedding(i);
        if (!e) return null;
        const [a, b] = e.parameters().map((p) => Float64Array.from(p));
        return { a, b, dim: f.dim, inner: f.dim * f.mletFactor!, maxNorm: f.maxNorm };
      });
      const tower = model.tower.parameters().map((p) => Float64Array.from(p));
      const readers = fields.map((f) => (f ? (id: number) => effectiveRow(f, id) : null));
      const loss = () => referenceLoss(readers, tower, src, rows);
      expect(grads.loss).toBeCloseTo(loss(), 5);
      let checked = 0;
      fields.forEach((f, i) => {
        if (!f) return expect(grads.embeddingParams[i]).toEqual([]);
        [f.a, f.b].forEach((target, p) => {
          checked += checkAgainstFiniteDifferences(
            `field ${i} ${p === 0 ? 'A' : 'B'}`,
            target,
            grads.embeddingParams[i][p],
            loss,
          );
        });
      });
      expect(checked).toBeGreaterThan(30); // not vacuous
      // rows never seen in the batch (OOV, missing: ids 5 and 6) get no gradient in A
      expect(Array.from(grads.embeddingParams[0][0].subarray(5 * 4))).toEqual(new Array(8).fill(0));
    } finally {
      model.dispose();
    }
  });

  it('first Adam step: touched rows of A and every entry of B move by lr against their gradient, others stay', () => {
    const field: FieldConfig = { name: 'f', dim: 3, normAlpha: 0, mletFactor: 2 };
    const e = createFieldEmbedding(
      field,
      10,
      { optimizer: 'adam', lr: 0.01, maxBatch: 8 },
      seedrandom('s'),
    ) as MletEmbedding;
    const [a0, b0] = e.parameters().map((p) => p.slice());
    const ids = Int32Array.from([1, 4, 1, 7]);
    const dx = Float32Array.from({ length: 4 * 3 }, (_, i) => Math.sin(i + 1));
    e.backward(ids, 4, dx, 3, 0);
    const { params } = e.gradients();
    e.backward(ids, 4, dx, 3, 0);
    e.step(1);
    // Adam's first step: w − lr·√(1−β2)·g / (√(1−β2)·|g| + ε), i.e. lr against the sign of g for |g| ≫ ε.
    const expected = (before: number, g: number) =>
      before - (0.01 * Math.sqrt(0.001) * g) / (Math.sqrt(0.001) * Math.abs(g) + 1e-8);
    for (let j = 0; j < b0.length; j++) expect(e.b[j]).toBeCloseTo(expected(b0[j], params[1][j]), 6);
    for (let row = 0; row < 10; row++) {
      for (let l = 0; l < 6; l++) {
        const j = row * 6 + l;
        if ([1, 4, 7].includes(row)) expect(e.a[j]).toBeCloseTo(expected(a0[j], params[0][j]), 6);
        else expect(e.a[j]).toBe(a0[j]);
      }
    }
    expect(params[0].some((g, j) => g !== 0 && Math.abs(e.a[j] - a0[j]) > 0.009)).toBe(true);
  });

  it('decays the touched rows of A by λ = min(1, α·Δ) before their update, so E[i] = A[i]·B decays alike', () => {
    const e = createFieldEmbedding(
      { name: 'f', dim: 2, normAlpha: 0.1, mletFactor: 2 },
      6,
      { optimizer: 'adam', lr: 0.01, maxBatch: 4 },
      seedrandom('d'),
    ) as MletEmbedding;
    const zero = new Float32Array(4 * 2); // no gradient: Adam moves nothing, only the decay acts
    const e0 = e.collapse();
    e.backward(Int32Array.from([2, 3]), 2, zero, 2, 0);
    e.step(3); // rows 2 and 3 never updated: Δ = 3, λ = 0.3
    e.backward(Int32Array.from([2]), 1, zero, 2, 0);
    e.step(5); // row 2 last updated at step 3: Δ = 2, λ = 0.2
    const e1 = e.collapse();
    for (let j = 0; j < 2; j++) {
      expect(e1[2 * 2 + j]).toBeCloseTo(e0[2 * 2 + j] * 0.7 * 0.8, 7);
      expect(e1[3 * 2 + j]).toBeCloseTo(e0[3 * 2 + j] * 0.7, 7);
      expect(e1[0 * 2 + j]).toBe(e0[0 * 2 + j]);
    }
  });

  it('collapses to exactly the rows lookup reads, capped onto the maxNorm ball', () => {
    const field: FieldConfig = { name: 'f', dim: 3, normAlpha: 0, mletFactor: 2, maxNorm: 0.06 };
    const e = createFieldEmbedding(
      field,
      50,
      { optimizer: 'adam', lr: 0.01, maxBatch: 50 },
      seedrandom('c'),
    ) as MletEmbedding;
    e.a.forEach((v, i, a) => (a[i] = v * 2)); // most rows now exceed the cap
    const ids = Int32Array.from({ length: 50 }, (_, i) => 49 - i);
    const x = new Float32Array(50 * 5);
    e.lookup(ids, 50, x, 5, 1);
    const table = e.collapse();
    let capped = 0;
    for (let id = 0; id < 50; id++) {
      const row = Array.from(table.subarray(id * 3, id * 3 + 3));
      expect(Array.from(x.subarray((49 - id) * 5 + 1, (49 - id) * 5 + 4))).toEqual(row);
      const raw = Array.from({ length: 3 }, (_, j) =>
        e.a.subarray(id * 6, id * 6 + 6).reduce((s, v, l) => s + v * e.b[l * 3 + j], 0),
      );
      const norm = Math.hypot(...raw);
      if (norm > 0.06) capped++;
      const scale = Math.min(1, 0.06 / norm);
      row.forEach((v, j) => expect(v).toBeCloseTo(raw[j] * scale, 7));
    }
    expect(capped).toBeGreaterThan(25);
  });

  it('starts at the scale of a plain table: B has orthonormal columns, rows of A·B have variance s²/3 per coordinate', () => {
    const rows = 20_000;
    for (const factor of [1, 4]) {
      const e = createFieldEmbedding(
        { name: 'f', dim: 4, normAlpha: 0, mletFactor: factor },
        rows,
        { optimizer: 'adam', lr: 0.01, maxBatch: 8 },
        seedrandom(`init${factor}`),
      ) as MletEmbedding;
      const k = 4 * factor;
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          let dot = 0;
          for (let l = 0; l < k; l++) dot += e.b[l * 4 + i] * e.b[l * 4 + j];
          expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
        }
      }
      const table = e.collapse();
      const variance = table.reduce((s, x) => s + x * x, 0) / table.length;
      expect(variance / (EMBEDDING_INIT_SCALE ** 2 / 3)).toBeGreaterThan(0.97);
      expect(variance / (EMBEDDING_INIT_SCALE ** 2 / 3)).toBeLessThan(1.03);
    }
    // seeded: the same rng gives the same factors
    const make = () =>
      createFieldEmbedding(
        { name: 'f', dim: 2, normAlpha: 0, mletFactor: 2 },
        5,
        { optimizer: 'adam', lr: 0.01, maxBatch: 4 },
        seedrandom('same'),
      );
    expect(Array.from(make().collapse())).toEqual(Array.from(make().collapse()));
  });

  it('counts memory: inference as the collapsed table, training with A, B and their optimizer state', () => {
    const base: TrialConfig = {
      ...configFor(data, { batchSize: 16, tower: [8] }),
      fields: [
        { name: 'signal0', dim: 4, normAlpha: 0 },
        { name: 'signal1', dim: 0, normAlpha: 0 },
        { name: 'noise0', dim: 2, normAlpha: 1e-3 },
      ],
    };
    const rows = [100, 50, 7];
    const mlet = { ...base, fields: base.fields.map((f) => ({ ...f, mletFactor: 4 })) };
    expect(inferenceBytes(mlet, rows)).toBe(inferenceBytes(base, rows));
    // field 0: A 100×16 + B 16×4 params, Adam ×3, slot 100·4, batch scratch 16 ids × (1 + 4 + 16) + dB + B's row list
    const field0 = (100 * 16 + 16 * 4) * 4 * 3 + 100 * 4 + 16 * (1 + 4 + 16) * 4 + 16 * 4 * 4 + 16 * 4;
    const plain0 = 100 * 4 * 4 * 3 + 100 * 4 + 16 * (1 + 4) * 4;
    const field2 = (7 * 8 + 8 * 2) * 4 * 3 + 7 * 4 * 2 + 7 * (1 + 2 + 8) * 4 + 8 * 2 * 4 + 8 * 4;
    const plain2 = 7 * 2 * 4 * 3 + 7 * 4 * 2 + 7 * (1 + 2) * 4;
    expect(trainingBytes(mlet, rows) - trainingBytes(base, rows)).toBe(field0 - plain0 + field2 - plain2);
    // the estimate from the config is what the allocated embeddings report
    const model = new CtrModel(mlet, rows, 16);
    try {
      expect(model.embeddingTrainingBytes).toBe(field0 + field2);
      expect(model.embedding(0)!.inferenceBytes).toBe(100 * 4 * 4);
    } finally {
      model.dispose();
    }
  });

  it('rejects a factor that is not a whole number ≥ 0, naming the field', async () => {
    const config = configFor(data);
    config.fields[2] = { ...config.fields[2], mletFactor: 1.5 };
    const err = await train(config, data).catch((e: unknown) => e);
    expect(isUsageError(err)).toBe(true);
    expect((err as Error).message).toMatch(/fields\[2\]\.mletFactor \(noise0\) is 1.5/);
  });
});

describe('MLET inside the model', () => {
  const data = plantedDataset({ rows: 4000, informative: 2, noise: 1, cardinality: 40, seed: 5 });
  const src = { ids: data.ids, labels: data.labels, numFields: 3 };

  function trainedRowNorms(normAlpha: number, maxNorm?: number): number[] {
    const config = configFor(data, { lr: 0.05, seed: 2 }, 8);
    config.fields[0] = { ...config.fields[0], normAlpha, maxNorm, mletFactor: 2 };
    const model = new CtrModel(
      config,
      data.fields.map((f) => f.rows),
      64,
    );
    try {
      for (let b = 0; b < 30; b++) model.trainBatch(src, null, b * 64, 64);
      const table = model.embedding(0)!.collapse();
      return Array.from({ length: data.fields[0].rows }, (_, r) => Math.hypot(...table.subarray(r * 8, r * 8 + 8)));
    } finally {
      model.dispose();
    }
  }

  // B absorbs part of the decay (A·B = (cA)·(B/c)): effective rows shrink less than a plain table's under the same α.
  it('keeps effective rows inside maxNorm and decays them with α > 0', async () => {
    await initBackend('wasm');
    expect(Math.max(...trainedRowNorms(0, 0.05))).toBeLessThanOrEqual(0.05 * (1 + 1e-6));
    const free = trainedRowNorms(0);
    const decayed = trainedRowNorms(0.02);
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    expect(Math.max(...free)).toBeGreaterThan(0.05);
    // Measured 0.82 (1 without the decay); the exact factors are the hand-computed decay test's.
    expect(mean(decayed)).toBeLessThan(0.9 * mean(free));
  });

  it('learns as well as a plain table, deterministically', async () => {
    const plain = configFor(data, { epochs: 2, seed: 4 });
    const mlet = { ...plain, fields: plain.fields.map((f) => ({ ...f, mletFactor: 2 })) };
    const [p, m, again] = [await train(plain, data), await train(mlet, data), await train(mlet, data)];
    expect(m.validAuc).toBeGreaterThan(0.7);
    // Measured: MLET 0.008 above plain; with A's update removed, 0.24 below. With B's removed it stays 0.0001 above
    // plain (a fixed orthonormal B leaves a plain table): no AUC bound sees that, the first-step test above does.
    expect(m.validAuc).toBeGreaterThan(p.validAuc - 0.01);
    expect(again.epochs).toEqual(m.epochs.map((e, i) => ({ ...e, seconds: again.epochs[i].seconds })));
    expect(m.inferenceBytes).toBe(p.inferenceBytes);
    expect(m.trainingBytes).toBeGreaterThan(p.trainingBytes);
  });
});
