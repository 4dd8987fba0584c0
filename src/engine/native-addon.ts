/**
 * Loads the optional native kernels (the `embnas-native` package, built from native/ by node-gyp at install time
 * against the system's CBLAS). A build that failed for want of a compiler or a BLAS leaves no addon: loading is
 * guarded, remembers why it failed, and the engine falls back to the tfjs wasm tower. A checkout where the addon was
 * built later (`npm run build:native`) but is not installed as a package is found by its path.
 */
import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';

/** The addon's functions (native/src/addon.cc). Arrays are row-major; every call checks the arrays' lengths. */
export interface NativeKernels {
  /** C (m × n) = alpha·op(A)·op(B) + beta·C, with op = transpose when the flag is set. */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void;
  /** y = act(y + b) row by row (rows × cols). */
  biasAct(y: Float32Array, b: Float32Array, rows: number, cols: number, relu: boolean): void;
  /** g[i] = 0 where y[i] ≤ 0 (rows × cols), and out[c] = Σ_r g[r][c] of the masked g, in one pass. */
  reluGradColSums(g: Float32Array, y: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /** prev (rows × cols) = g·wᵀ masked where y ≤ 0, out[c] = Σ_r prev[r][c]: a one-output layer's backward into ReLU. */
  outerReluColSums(
    g: Float32Array,
    w: Float32Array,
    y: Float32Array,
    rows: number,
    cols: number,
    prev: Float32Array,
    out: Float32Array,
  ): void;
  /** out[c] = Σ_r g[r][c]. */
  colSums(g: Float32Array, rows: number, cols: number, out: Float32Array): void;
  adam(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    lr: number,
    b1: number,
    b2: number,
    oneMinusB1: number,
    oneMinusB2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;
  adagrad(p: Float32Array, g: Float32Array, acc: Float32Array, lr: number, eps: number): void;
  /** EmbeddingTable.gather: rows ids[0..count) of weights (rows × dim) into columns [offset, offset + dim) of x. */
  gatherRows(
    weights: Float32Array,
    dim: number,
    ids: Int32Array,
    count: number,
    x: Float32Array,
    width: number,
    offset: number,
  ): void;
  /** RowAccumulator.accumulate; returns the number of distinct ids. */
  accumulateRows(
    ids: Int32Array,
    count: number,
    dx: Float32Array,
    width: number,
    offset: number,
    dim: number,
    slot: Int32Array,
    uniqueIds: Int32Array,
    gradSums: Float32Array,
  ): number;
  /** RowAccumulator.release: slot[uniqueIds[i]] = −1 for i < count. */
  releaseRows(slot: Int32Array, uniqueIds: Int32Array, count: number): void;
  /** SparseAdam.update, its double-precision arithmetic included; mv holds row r's m then its v at 2·r·dim. */
  sparseAdam(
    weights: Float32Array,
    mv: Float32Array,
    ids: Int32Array,
    grads: Float32Array,
    count: number,
    dim: number,
    cols: number,
    stepSize: number,
    c1: number,
    c2: number,
    eps: number,
  ): void;
  /** SparseAdagrad.update. */
  sparseAdagrad(
    weights: Float32Array,
    sum: Float32Array,
    ids: Int32Array,
    grads: Float32Array,
    count: number,
    dim: number,
    cols: number,
    lr: number,
    eps: number,
  ): void;
  /**
   * A zeroed Float32Array on memory the addon allocates: 64-byte aligned (an embedding row of 16 floats is then one
   * cache line, not two), and from 4 MB up whole 2 MB pages advised for huge pages. Freed when collected.
   */
  alignedArray(n: number): Float32Array<ArrayBuffer>;
  /** Asks for 2 MB pages on the array's memory (Linux THP in madvise mode); returns the bytes advised. */
  adviseHugePages(array: Float32Array | Int32Array): number;
  /** The largest power of two, up to 2 MB, that divides the address of the array's first element. */
  addressAlignment(array: Float32Array | Int32Array): number;
  /** The BLAS linked, as it describes itself (OpenBLAS: its build configuration and the core it chose). */
  info(): { blas: string; core: string; threads: number };
}

/** Every function this version calls: a build of the addon from an older checkout lacks some (checked at load). */
const KERNEL_NAMES = [
  'sgemm',
  'biasAct',
  'reluGradColSums',
  'outerReluColSums',
  'colSums',
  'adam',
  'adagrad',
  'gatherRows',
  'accumulateRows',
  'releaseRows',
  'sparseAdam',
  'sparseAdagrad',
  'alignedArray',
  'adviseHugePages',
  'addressAlignment',
  'info',
] as const satisfies readonly (keyof NativeKernels)[];

/** The functions of NativeKernels that `addon` does not have. */
export function missingKernels(addon: object): string[] {
  return KERNEL_NAMES.filter((name) => typeof (addon as Record<string, unknown>)[name] !== 'function');
}

export type NativeLoad = { ok: true; kernels: NativeKernels } | { ok: false; reason: string };

let loaded: NativeLoad | undefined;
/** The kernels the embedding tables call, while this thread runs the native backend (see nativeSparse). */
let sparse: NativeKernels | undefined;

/** The addon, or why it is not there; loaded once per thread. */
export function loadNative(): NativeLoad {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const reasons: string[] = [];
  // The installed package first, then the build folder of this checkout (dist/engine → ../../native).
  for (const specifier of ['embnas-native', '../../native/index.js']) {
    try {
      const kernels = require(specifier) as NativeKernels;
      if (typeof kernels.sgemm !== 'function') throw new Error('not the embnas-native addon');
      const missing = missingKernels(kernels);
      if (missing.length > 0)
        throw new Error(`the embnas-native build is older than this embnas (no ${missing.join(', ')}); rebuild it`);
      loaded = { ok: true, kernels };
      return loaded;
    } catch (e) {
      const code = (e as { code?: string }).code;
      reasons.push(code === 'MODULE_NOT_FOUND' ? 'not built' : firstLine(e));
    }
  }
  const failed = reasons.find((r) => r !== 'not built');
  loaded = { ok: false, reason: failed ?? 'the embnas-native addon was not built at install' };
  return loaded;
}

/** Why `--backend native` cannot run here, as the one-line user error to show; undefined when the addon loads. */
export function nativeUnavailable(): UsageError | undefined {
  const load = loadNative();
  if (load.ok) return undefined;
  return new UsageError(
    `engine backend 'native' is not available: ${load.reason}`,
    'install libopenblas-dev, g++ and make, then npm run build:native (or use backend auto)',
  );
}

/**
 * What the run header shows for a backend choice: the native addon with its BLAS ('native (OpenBLAS 0.3.21
 * Haswell, 1 thread)') when that is what runs, else the choice as given. `full` gives the BLAS's whole build line.
 */
export function backendLabel(choice: string, full = false): string {
  const load = loadNative();
  if (!((choice === 'native' || choice === 'auto') && load.ok)) return choice;
  const { blas, core, threads } = load.kernels.info();
  const what = full || !blas.startsWith('OpenBLAS') ? blas : `${blas.split(' ').slice(0, 2).join(' ')} ${core}`;
  return `native (${what}, ${threads} BLAS thread${threads === 1 ? '' : 's'})`;
}

/**
 * Whether the embedding tables use the addon's kernels in this thread (backend.ts turns them on with the native
 * backend). Their results are bit for bit those of the TypeScript loops, only faster: the switch changes no number.
 */
export function useNativeSparse(on: boolean): void {
  const l = loadNative();
  sparse = on && l.ok ? l.kernels : undefined;
}

/** The addon's embedding-table kernels when they are on in this thread, else undefined (use the TypeScript loops). */
export function nativeSparse(): NativeKernels | undefined {
  return sparse;
}

/**
 * A zeroed Float32Array of n elements for an embedding table, its optimizer state or the model's input matrix. On
 * the native backend its memory comes from the addon (alignedArray): rows start on cache lines, and large arrays sit
 * on 2 MB pages as a whole. The batches read such arrays at random rows; with JavaScript's own allocation (16 bytes
 * past a page boundary) a 64-byte row spans two cache lines, and with 4 KB pages almost every row costs a TLB miss.
 */
export function tableArray(n: number): Float32Array {
  return sparse ? sparse.alignedArray(n) : new Float32Array(n);
}

/** The loaded addon; an internal error when called before loadNative succeeded. */
export function nativeKernels(): NativeKernels {
  const l = loadNative();
  if (!l.ok) throw new Error(`native kernels used without the addon (${l.reason})`);
  return l.kernels;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
