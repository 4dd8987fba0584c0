/**
 * One plain embedding table: a Float32Array of rows × dim, outside tfjs, with the batch bookkeeping of its sparse
 * gradient (RowAccumulator).
 *
 * Keeping the tables in TypeScript is what makes training fast here: a mini-batch touches at most batchSize rows of a
 * table, so the gather, the gradient scatter and the optimizer update are all O(batchSize · dim), whereas a tfjs
 * variable would carry dense [rows, dim] gradients and optimizer state (and wasm's heap is capped at 4 GiB).
 */
import type { PRNG } from 'seedrandom';
import { nativeSparse, tableArray } from './native-addon.js';
import { RowAccumulator } from './row-accumulator.js';

/** Half-width of the uniform initialisation of embedding rows. */
export const EMBEDDING_INIT_SCALE = 0.05;

export class EmbeddingTable extends RowAccumulator {
  readonly weights: Float32Array;

  /** Rows start uniform in ±`initScale`, drawn from `rng` in row-major order. */
  constructor(rows: number, dim: number, maxBatch: number, rng: PRNG, initScale = EMBEDDING_INIT_SCALE) {
    super(rows, dim, maxBatch);
    this.weights = tableArray(rows * dim);
    for (let i = 0; i < this.weights.length; i++) {
      this.weights[i] = (rng() * 2 - 1) * initScale;
    }
  }

  /**
   * Copies the rows of `batchIds[0..count)` into the input matrix `x` (row stride `width`, starting at column
   * `offset`): the table's slice of the concatenated tower input.
   */
  gather(batchIds: Int32Array, count: number, x: Float32Array, width: number, offset: number): void {
    const { weights, dim } = this;
    const native = nativeSparse();
    if (native) return native.gatherRows(weights, dim, batchIds, count, x, width, offset);
    for (let b = 0; b < count; b++) {
      const src = batchIds[b] * dim;
      const dst = b * width + offset;
      for (let k = 0; k < dim; k++) x[dst + k] = weights[src + k];
    }
  }

  /** A copy of one row, for inspection and tests. */
  row(id: number): Float32Array {
    return this.weights.slice(id * this.dim, (id + 1) * this.dim);
  }
}
