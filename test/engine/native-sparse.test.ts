/**
 * The addon's embedding-table kernels (gather, duplicate-id gradient sums, SparseAdam, Adagrad) give bit for bit the
 * numbers of the TypeScript loops they replace on the native backend, and refuse ids outside the table.
 */
import { existsSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddingTable } from '../../src/engine/embedding-table.js';
import { loadNative, nativeKernels, nativeSparse, tableArray, useNativeSparse } from '../../src/engine/native-addon.js';
import { createSparseOptimizer } from '../../src/engine/sparse-optimizers.js';
import { requireOrSkip } from '../require.js';

const load = loadNative();
const present = requireOrSkip(
  load.ok,
  `the native tower addon embnas-native (${load.ok ? '' : load.reason})`,
  'apt-get install libopenblas-dev g++ make, then npm run build:native',
);

const [ROWS, DIM, WIDTH, OFFSET, BATCH] = [50, 6, 20, 7, 64];

/** Three training steps of one table (gather, accumulate, optimizer) with the kernels on or off; returns everything touched. */
function run(native: boolean, optimizer: 'adam' | 'adagrad', cols = DIM): Float32Array[] {
  useNativeSparse(native);
  expect(nativeSparse() !== undefined).toBe(native);
  const rng = seedrandom.alea('sparse');
  const table = new EmbeddingTable(ROWS, DIM, BATCH, rng);
  const opt = createSparseOptimizer(optimizer, ROWS, DIM, 0.05);
  const x = new Float32Array(BATCH * WIDTH);
  const xs: Float32Array[] = [];
  for (let step = 1; step <= 3; step++) {
    // ids with many duplicates; a gradient made from the gathered input so each step depends on the last
    const ids = Int32Array.from({ length: BATCH }, () => Math.floor(rng() * rng() * ROWS));
    table.gather(ids, BATCH, x, WIDTH, OFFSET);
    const dx = Float32Array.from(x, (v, i) => v * 3 + Math.sin(i) * 0.1);
    table.accumulate(ids, BATCH, dx, WIDTH, OFFSET);
    opt.update(table.weights, table.uniqueIds, table.gradSums, table.numUnique, step, cols);
    xs.push(x.slice(), table.uniqueIds.slice(0, table.numUnique), table.gradSums.slice(0, table.numUnique * DIM));
    table.release();
  }
  return [...xs, table.weights, ...opt.getState()] as Float32Array[];
}

describe.runIf(present)('native embedding-table kernels', () => {
  afterEach(() => useNativeSparse(false));

  it.each([
    ['adam', DIM],
    ['adagrad', DIM],
    ['adam', 4],
  ] as const)('match the TypeScript loops bit for bit (%s, %i columns)', (optimizer, cols) => {
    const [ts, native] = [run(false, optimizer, cols), run(true, optimizer, cols)];
    expect(native).toHaveLength(ts.length);
    native.forEach((a, i) => expect(Array.from(a), `array ${i}`).toEqual(Array.from(ts[i])));
    // the run moved the weights: the comparison is not between two untouched tables
    expect(ts.at(-1)!.some((v) => v !== 0)).toBe(true);
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
    useNativeSparse(true);
    const table = tableArray(3 << 20);
    expect(table).toHaveLength(3 << 20);
    expect(table.every((v) => v === 0)).toBe(true);
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
    const [m, v, g] = [new Float32Array(40), new Float32Array(40), new Float32Array(8)];
    expect(() => k.sparseAdam(w, m, v, Int32Array.of(0, 11), g, 2, 4, 4, 0.1, 0.1, 0.001, 1e-8)).toThrow(/outside/);
    expect(w.every((x) => x === 0)).toBe(true);
  });
});
