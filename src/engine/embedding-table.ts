/**
 * One field's embedding table: a plain Float32Array of rows × dim, outside tfjs.
 *
 * Keeping the tables in TypeScript is what makes training fast here: a mini-batch touches at most batchSize rows of a
 * table, so the gather, the gradient scatter and the optimizer update are all O(batchSize · dim), whereas a tfjs
 * variable would carry dense [rows, dim] gradients and optimizer state (and wasm's heap is capped at 4 GiB).
 */
import type { PRNG } from 'seedrandom';

/** Half-width of the uniform initialisation of embedding rows. */
export const EMBEDDING_INIT_SCALE = 0.05;

export class EmbeddingTable {
  readonly weights: Float32Array;
  /** Distinct ids of the current batch (first `numUnique` entries) and their summed gradient rows. */
  readonly uniqueIds: Int32Array;
  readonly gradSums: Float32Array;
  numUnique = 0;
  /** slot[id] = position of id in uniqueIds during a batch, -1 otherwise (reset after each batch). */
  private readonly slot: Int32Array;

  constructor(
    readonly rows: number,
    readonly dim: number,
    maxBatch: number,
    rng: PRNG,
  ) {
    this.weights = new Float32Array(rows * dim);
    for (let i = 0; i < this.weights.length; i++) {
      this.weights[i] = (rng() * 2 - 1) * EMBEDDING_INIT_SCALE;
    }
    this.slot = new Int32Array(rows).fill(-1);
    this.uniqueIds = new Int32Array(Math.min(maxBatch, rows));
    this.gradSums = new Float32Array(this.uniqueIds.length * dim);
  }

  /**
   * Copies the rows of `batchIds[0..count)` into the input matrix `x` (row stride `width`, starting at column
   * `offset`): the table's slice of the concatenated tower input.
   */
  gather(batchIds: Int32Array, count: number, x: Float32Array, width: number, offset: number): void {
    const { weights, dim } = this;
    for (let b = 0; b < count; b++) {
      const src = batchIds[b] * dim;
      const dst = b * width + offset;
      for (let k = 0; k < dim; k++) x[dst + k] = weights[src + k];
    }
  }

  /**
   * Sums the gradient rows of duplicate ids (dL/dx columns [offset, offset+dim) of `dx`) into `gradSums`, one row per
   * distinct id, in first-seen order. Summing first is what makes the sparse optimizers match a dense gradient.
   */
  accumulate(batchIds: Int32Array, count: number, dx: Float32Array, width: number, offset: number): number {
    const { slot, uniqueIds, gradSums, dim } = this;
    let n = 0;
    for (let b = 0; b < count; b++) {
      const id = batchIds[b];
      let s = slot[id];
      const src = b * width + offset;
      if (s < 0) {
        s = n++;
        slot[id] = s;
        uniqueIds[s] = id;
        const dst = s * dim;
        for (let k = 0; k < dim; k++) gradSums[dst + k] = dx[src + k];
      } else {
        const dst = s * dim;
        for (let k = 0; k < dim; k++) gradSums[dst + k] += dx[src + k];
      }
    }
    this.numUnique = n;
    return n;
  }

  /** Forgets the current batch's ids (only the touched slots are reset, so this is O(batch), not O(rows)). */
  release(): void {
    for (let i = 0; i < this.numUnique; i++) this.slot[this.uniqueIds[i]] = -1;
    this.numUnique = 0;
  }

  /** A copy of one row, for inspection and tests. */
  row(id: number): Float32Array {
    return this.weights.slice(id * this.dim, (id + 1) * this.dim);
  }
}
