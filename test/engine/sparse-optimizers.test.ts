import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { EmbeddingTable } from '../../src/engine/embedding-table.js';
import { SparseAdagrad, SparseAdam } from '../../src/engine/sparse-optimizers.js';

const ROWS = 6;
const DIM = 3;
const LR = 0.05;

/** Per-example gradient rows for a batch of ids (with duplicates), as the tower would hand them over. */
function batches(seed: string, steps: number, batch: number): { ids: Int32Array; dx: Float32Array }[] {
  const rng = seedrandom(seed);
  return Array.from({ length: steps }, () => ({
    // ids drawn from the first 4 rows only: rows 4 and 5 are never touched, most batches have duplicates
    ids: Int32Array.from({ length: batch }, () => Math.floor(rng() * 4)),
    dx: Float32Array.from({ length: batch * DIM }, () => rng() * 2 - 1),
  }));
}

/** Dense gradient [rows × dim] of a batch: per-example rows scattered and summed (what autograd would give). */
function denseGradient(ids: Int32Array, dx: Float32Array): Float64Array {
  const g = new Float64Array(ROWS * DIM);
  ids.forEach((id, b) => {
    for (let k = 0; k < DIM; k++) g[id * DIM + k] += dx[b * DIM + k];
  });
  return g;
}

function rowTouched(g: Float64Array, r: number): boolean {
  for (let k = 0; k < DIM; k++) if (g[r * DIM + k] !== 0) return true;
  return false;
}

/** Runs the sparse path: dedup-sum in the table, then the optimizer on the distinct rows. */
function runSparse(opt: SparseAdam | SparseAdagrad, data: ReturnType<typeof batches>): Float32Array {
  const table = new EmbeddingTable(ROWS, DIM, 16, seedrandom('init'));
  data.forEach(({ ids, dx }, i) => {
    const n = table.accumulate(ids, ids.length, dx, DIM, 0);
    opt.update(table.weights, table.uniqueIds, table.gradSums, n, i + 1);
    table.release();
  });
  return table.weights;
}

function initialWeights(): Float64Array {
  return Float64Array.from(new EmbeddingTable(ROWS, DIM, 16, seedrandom('init')).weights);
}

describe('sparse optimizers vs a dense reference', () => {
  const data = batches('opt', 12, 10);

  it('SparseAdam = dense Adam restricted to touched rows (lazy moments, global-step bias correction)', () => {
    const w = initialWeights();
    const m = new Float64Array(w.length);
    const v = new Float64Array(w.length);
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    data.forEach(({ ids, dx }, i) => {
      const t = i + 1;
      const g = denseGradient(ids, dx);
      for (let r = 0; r < ROWS; r++) {
        if (!rowTouched(g, r)) continue;
        for (let k = 0; k < DIM; k++) {
          const j = r * DIM + k;
          m[j] = b1 * m[j] + (1 - b1) * g[j];
          v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
          w[j] -= ((LR * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t)) * (m[j] / (Math.sqrt(v[j]) + eps));
        }
      }
    });
    const sparse = runSparse(new SparseAdam(ROWS, DIM, LR), data);
    const init = initialWeights();
    for (let j = 0; j < w.length; j++) expect(sparse[j]).toBeCloseTo(w[j], 5);
    // untouched rows never move; touched rows did
    for (let j = 4 * DIM; j < ROWS * DIM; j++) expect(sparse[j]).toBe(init[j]);
    expect(Math.abs(sparse[0] - init[0])).toBeGreaterThan(1e-3);
  });

  it('sparse Adagrad = dense Adagrad (zero gradient rows do not change)', () => {
    const w = initialWeights();
    const acc = new Float64Array(w.length);
    data.forEach(({ ids, dx }) => {
      const g = denseGradient(ids, dx);
      for (let j = 0; j < w.length; j++) {
        acc[j] += g[j] * g[j];
        w[j] -= (LR * g[j]) / (Math.sqrt(acc[j]) + 1e-10);
      }
    });
    const sparse = runSparse(new SparseAdagrad(ROWS, DIM, LR), data);
    for (let j = 0; j < w.length; j++) expect(sparse[j]).toBeCloseTo(w[j], 5);
  });

  it('SparseAdam state comes out as [m, v] (rows × dim each) and a resumed optimizer continues exactly', () => {
    const [first, rest] = [data.slice(0, 5), data.slice(5)];
    const table = new EmbeddingTable(ROWS, DIM, 16, seedrandom('init'));
    const step = (opt: SparseAdam, w: Float32Array, { ids, dx }: (typeof data)[number], t: number) => {
      const n = table.accumulate(ids, ids.length, dx, DIM, 0);
      opt.update(w, table.uniqueIds, table.gradSums, n, t);
      table.release();
    };
    const a = new SparseAdam(ROWS, DIM, LR);
    const wa = table.weights.slice();
    first.forEach((d, i) => step(a, wa, d, i + 1));
    const [m, v] = a.getState();
    expect([m.length, v.length]).toEqual([ROWS * DIM, ROWS * DIM]);
    // untouched rows 4 and 5 have no moments; every touched row has a positive second moment in each column
    expect(Array.from(v.subarray(4 * DIM))).toEqual(new Array(2 * DIM).fill(0));
    expect(Array.from(v.subarray(0, 4 * DIM)).every((x) => x > 0)).toBe(true);
    expect(Array.from(m.subarray(0, 4 * DIM)).some((x) => x !== 0)).toBe(true);
    const b = new SparseAdam(ROWS, DIM, LR);
    b.setState([m, v]);
    const wb = wa.slice();
    rest.forEach((d, i) => step(a, wa, d, i + 6));
    rest.forEach((d, i) => step(b, wb, d, i + 6));
    expect(Array.from(wb)).toEqual(Array.from(wa));
    b.getState().forEach((s, k) => expect(Array.from(s)).toEqual(Array.from(a.getState()[k])));
    expect(() => b.setState([m])).toThrow(/2 arrays, got 1/);
  });

  it('EmbeddingTable.accumulate sums duplicate ids and gather copies rows into the input matrix', () => {
    const table = new EmbeddingTable(ROWS, 2, 8, seedrandom('x'));
    const ids = Int32Array.from([2, 5, 2, 2]);
    const dx = Float32Array.from([1, 2, 10, 20, 3, 4, 5, 6]);
    const n = table.accumulate(ids, 4, dx, 2, 0);
    expect(n).toBe(2);
    expect(Array.from(table.uniqueIds.subarray(0, 2))).toEqual([2, 5]);
    expect(Array.from(table.gradSums.subarray(0, 4))).toEqual([9, 12, 10, 20]);
    table.release();
    expect(table.accumulate(Int32Array.from([5]), 1, Float32Array.from([7, 8]), 2, 0)).toBe(1);
    table.release();
    // gather into a 3-wide matrix at column 1
    const x = new Float32Array(2 * 3);
    table.gather(Int32Array.from([5, 2]), 2, x, 3, 1);
    expect(Array.from(x)).toEqual([0, ...table.row(5), 0, ...table.row(2)]);
  });
});
