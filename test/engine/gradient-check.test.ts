/**
 * Whole-model gradient check: the engine's float32 gradients (tfjs tower with custom dense gradients + dedup-summed
 * embedding gradients) against central finite differences of an independent float64 forward pass.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { loadNative } from '../../src/engine/native-addon.js';
import { CtrModel, type BatchSource } from '../../src/engine/model.js';
import { configFor, plantedDataset } from './fixtures.js';

interface Params {
  tables: (Float64Array | null)[];
  dims: number[];
  tower: Float64Array[];
}

/** Mean sigmoid cross-entropy of the model in float64, written from the definition. */
function referenceLoss(p: Params, src: BatchSource, rows: number): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let h: number[] = [];
    p.tables.forEach((t, f) => {
      if (!t) return;
      const id = src.ids[r * src.numFields + f];
      for (let k = 0; k < p.dims[f]; k++) h.push(t[id * p.dims[f] + k]);
    });
    const layers = p.tower.length / 2;
    for (let l = 0; l < layers; l++) {
      const [w, b] = [p.tower[2 * l], p.tower[2 * l + 1]];
      const out = b.length;
      const next = Array.from(b);
      for (let i = 0; i < h.length; i++) for (let o = 0; o < out; o++) next[o] += h[i] * w[i * out + o];
      h = l + 1 < layers ? next.map((z) => Math.max(0, z)) : next;
    }
    const z = h[0];
    const y = src.labels[r];
    total += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return total / rows;
}

function expectGradientsClose(
  analytic: Float32Array,
  params: Params,
  target: Float64Array,
  src: BatchSource,
  rows: number,
  what: string,
): void {
  const h = 1e-5;
  for (let j = 0; j < target.length; j++) {
    const saved = target[j];
    target[j] = saved + h;
    const up = referenceLoss(params, src, rows);
    target[j] = saved - h;
    const down = referenceLoss(params, src, rows);
    target[j] = saved;
    const numeric = (up - down) / (2 * h);
    const tolerance = 1e-6 + 1e-3 * Math.abs(numeric);
    if (Math.abs(analytic[j] - numeric) > tolerance) {
      throw new Error(`${what}[${j}]: analytic ${analytic[j]} vs numeric ${numeric}`);
    }
  }
}

// The native backend (BLAS tower, native table kernels) too when its addon is built; native-tower.test.ts says when not.
const backends = [...(loadNative().ok ? ['native' as const] : []), 'wasm' as const, 'cpu' as const];

describe.each(backends)('gradient check on %s', (backend) => {
  it('matches finite differences for every tower and embedding parameter', async () => {
    await initBackend(backend);
    const data = plantedDataset({ rows: 40, informative: 2, noise: 1, cardinality: 5, seed: 9 });
    const config = configFor(data, { tower: [6, 5], seed: 11 });
    config.fields[0].dim = 2;
    config.fields[1].dim = 0; // dropped field: no table, no gradient
    config.fields[2].dim = 3;
    const model = new CtrModel(
      config,
      data.fields.map((f) => f.rows),
      16,
    );
    try {
      const src: BatchSource = { ids: data.ids, labels: data.labels, numFields: 3 };
      const rows = 16; // 16 rows over 5 values per field: many duplicate ids
      // Spread the embeddings from their small initial range to ±1 so their gradients are well above float32 noise.
      for (const f of [0, 2]) model.table(f)!.weights.forEach((v, i, w) => (w[i] = v * 20));
      const grads = model.gradients(src, null, 0, rows);
      const params: Params = {
        tables: config.fields.map((_, f) => (model.table(f) ? Float64Array.from(model.table(f)!.weights) : null)),
        dims: config.fields.map((f) => f.dim),
        tower: model.tower.parameters().map((a) => Float64Array.from(a)),
      };
      // the float32 forward agrees with the float64 one
      expect(grads.loss).toBeCloseTo(referenceLoss(params, src, rows), 5);
      params.tower.forEach((t, i) => expectGradientsClose(grads.tower[i], params, t, src, rows, `tower[${i}]`));
      params.tables.forEach((t, f) => {
        if (t) expectGradientsClose(grads.embeddings[f], params, t, src, rows, `table ${f}`);
      });
      expect(grads.embeddings[1].length).toBe(0);
      // some embedding gradient is non-zero (the check is not vacuous) and unseen rows (OOV, missing) have none
      expect(Math.max(...grads.embeddings[0].map(Math.abs))).toBeGreaterThan(1e-3);
      expect(Array.from(grads.embeddings[0].subarray(5 * 2))).toEqual([0, 0, 0, 0]);
    } finally {
      model.dispose();
    }
    if (backend !== 'native') expect(tf.getBackend()).toBe(backend);
  });
});
