/**
 * The addon's embedding-table kernels (gather, duplicate-id gradient sums, SparseAdam, Adagrad) give bit for bit the
 * numbers of the TypeScript loops they replace on the native backend, and refuse ids outside the table.
 */
import { existsSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddingTable } from '../../src/engine/embedding-table.js';
import {
  loadNative,
  missingKernels,
  nativeKernels,
  nativeSparse,
  tableArray,
  useNativeSparse,
} from '../../src/engine/native-addon.js';
import { createSparseOptimizer } from '../../src/engine/sparse-optimizers.js';
import { requireOrSkip } from '../require.js';

const load = loadNative();
const present = requireOrSkip(
  load.ok,
  `the native tower addon embnas-native (${load.ok ? '' : load.reason})`,
  'apt-get install libopenblas-dev g++ make, then npm run build:native',
);

const [ROWS, OFFSET, BATCH] = [50, 7, 64];

/**
 * Three training steps of one table (gather, accumulate, optimizer) with the kernels on or off; returns everything
 * touched. Rows of 16 fill whole vector registers in the addon's loops, rows of 6 and 11 columns leave remainders.
 */
function run(native: boolean, optimizer: 'adam' | 'adagrad', cols: number, dim: number): (Float32Array | Int32Array)[] {
  const width = OFFSET + dim + 5;
  useNativeSparse(native);
  expect(nativeSparse() !== undefined).toBe(native);
  const rng = seedrandom.alea('sparse');
  const table = new EmbeddingTable(ROWS, dim, BATCH, rng);
  const opt = createSparseOptimizer(optimizer, ROWS, dim, 0.05);
  const x = new Float32Array(BATCH * width);
  const xs: (Float32Array | Int32Array)[] = [];
  for (let step = 1; step <= 3; step++) {
    // ids with many duplicates; a gradient made from the gathered input so each step depends on the last
    const ids = Int32Array.from({ length: BATCH }, () => Math.floor(rng() * rng() * ROWS));
    table.gather(ids, BATCH, x, width, OFFSET);
    const dx = Float32Array.from(x, (v, i) => v * 3 + Math.sin(i) * 0.1);
    table.accumulate(ids, BATCH, dx, width, OFFSET);
    opt.update(table.weights, table.uniqueIds, table.gradSums, table.numUnique, step, cols);
    xs.push(x.slice(), table.uniqueIds.slice(0, table.numUnique), table.gradSums.slice(0, table.numUnique * dim));
    table.release();
  }
  return [...xs, table.weights, ...opt.getState()];
}

describe.runIf(present)('native embedding-table kernels', () => {
  afterEach(() => useNativeSparse(false));

  it.each([
    ['adam', 6, 6],
    ['adagrad', 6, 6],
    ['adam', 4, 6],
    ['adam', 16, 16],
    ['adagrad', 16, 16],
    ['adam', 11, 16],
  ] as const)('match the TypeScript loops bit for bit (%s, %i of %i columns)', (optimizer, cols, dim) => {
    const [ts, native] = [run(false, optimizer, cols, dim), run(true, optimizer, cols, dim)];
    expect(native).toHaveLength(ts.length);
    native.forEach((a, i) => expect(Array.from(a), `array ${i}`).toEqual(Array.from(ts[i])));
    // the run moved the weights: the comparison is not between two untouched tables
    expect(ts.at(-1)!.some((v) => v !== 0)).toBe(true);
  });

  it('has every function this version calls; a build from an older checkout is told apart', () => {
    expect(missingKernels(nativeKernels())).toEqual([]);
    const { alignedArray: _gone, ...older } = nativeKernels();
    expect(missingKernels(older)).toEqual(['alignedArray']);
  });

  it('gives tables zeroed memory of their own: rows on cache lines, large arrays on 2 MB pages', () => {
    const k = nativeKernels();
    for (const n of [0, 5, 1000, 3 << 20]) {
      const a = k.alignedArray(n);
      expect(a).toBeInstanceOf(Float32Array);
      expect(a).toHaveLength(n);
      expect(a.every((v) => v === 0)).toBe(true);
      if (n > 0) expect(k.addressAlignment(a)).toBeGreaterThanOrEqual(n * 4 >= 4 << 20 ? 2 << 20 : 64);
      a.fill(1);
      expect(a[n - 1]).toBe(n > 0 ? 1 : undefined);
    }
    expect(() => k.alignedArray(-1)).toThrow(/non-negative integer/);
    useNativeSparse(true);
    expect(k.addressAlignment(tableArray(100))).toBeGreaterThanOrEqual(64);
    useNativeSparse(false);
    expect(tableArray(100)).toHaveLength(100);
  });

  it('faults a large array in when it is made, not row by row during the first training steps', () => {
    const k = nativeKernels();
    const bytes = 64 << 20;
    const before = process.memoryUsage().rss;
    const a = k.alignedArray(bytes / 4);
    // nothing has read or written the array yet: only the allocation can have made it resident
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeGreaterThan(0.9 * bytes);
    expect(a[a.length - 1]).toBe(0);
  });

  it('asks for huge pages only on the 2 MB-aligned part of an array, which stays a zeroed array', () => {
    const k = nativeKernels();
    const huge = 2 << 20;
    const array = new Float32Array((5 * huge) / 4 + 3);
    const advised = k.adviseHugePages(array);
    expect(advised % huge).toBe(0);
    expect(advised).toBeLessThanOrEqual(array.byteLength);
    // where the kernel has transparent huge pages, the whole aligned interior is advised (at least 3 of its 2 MB pages)
    if (existsSync('/sys/kernel/mm/transparent_hugepage/enabled')) expect(advised).toBeGreaterThanOrEqual(3 * huge);
    expect(() => k.adviseHugePages([1, 2] as unknown as Float32Array)).toThrow(/typed array/);
  });

  it('refuses ids outside the table and columns outside the row', () => {
    const k = nativeKernels();
    const w = new Float32Array(10 * 4);
    const x = new Float32Array(2 * 8);
    expect(() => k.gatherRows(w, 4, Int32Array.of(3, 10), 2, x, 8, 0)).toThrow(
      /id 10 at 1 is outside the table's 10 rows/,
    );
    expect(() => k.gatherRows(w, 4, Int32Array.of(3, -1), 2, x, 8, 0)).toThrow(/id -1/);
    expect(() => k.gatherRows(w, 4, Int32Array.of(3, 4), 2, x, 8, 6)).toThrow(/within width/);
    const [mv, g] = [new Float32Array(80), new Float32Array(8)];
    expect(() => k.sparseAdam(w, mv, Int32Array.of(0, 11), g, 2, 4, 4, 0.1, 0.1, 0.001, 1e-8)).toThrow(/outside/);
    expect(() => k.sparseAdam(w, mv.subarray(0, 79), Int32Array.of(0, 1), g, 2, 4, 4, 0.1, 0.1, 0.001, 1e-8)).toThrow(
      /needs 80/,
    );
    expect(() => k.releaseRows(new Int32Array(10), Int32Array.of(3, 10), 2)).toThrow(/id 10 at 1/);
    expect(w.every((x) => x === 0)).toBe(true);
  });
});
