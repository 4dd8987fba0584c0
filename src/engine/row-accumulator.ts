/**
 * Per-batch bookkeeping of a table's sparse gradient: which rows a batch touched and their summed gradients, so the
 * optimizers update only those rows (on the native backend the loop runs in the addon, same numbers).
 */
import { nativeSparse } from './native-addon.js';

/**
 * The distinct ids of one mini-batch and the sum of their gradient rows. Summing the gradient rows of duplicate ids
 * before any optimizer step is what makes the sparse optimizers match a dense gradient; everything here is
 * O(batch · dim), never O(rows).
 */
export class RowAccumulator {
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
  ) {
    this.slot = new Int32Array(rows).fill(-1);
    this.uniqueIds = new Int32Array(Math.min(maxBatch, rows));
    this.gradSums = new Float32Array(this.uniqueIds.length * dim);
  }

  /**
   * Sums the gradient rows of duplicate ids (dL/dx columns [offset, offset+dim) of `dx`, row stride `width`) into
   * `gradSums`, one row per distinct id, in first-seen order. Returns the number of distinct ids.
   */
  accumulate(batchIds: Int32Array, count: number, dx: Float32Array, width: number, offset: number): number {
    const { slot, uniqueIds, gradSums, dim } = this;
    const native = nativeSparse();
    if (native)
      return (this.numUnique = native.accumulateRows(
        batchIds,
        count,
        dx,
        width,
        offset,
        dim,
        slot,
        uniqueIds,
        gradSums,
      ));
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
    const native = nativeSparse();
    if (native) native.releaseRows(this.slot, this.uniqueIds, this.numUnique);
    else for (let i = 0; i < this.numUnique; i++) this.slot[this.uniqueIds[i]] = -1;
    this.numUnique = 0;
  }

  /** Bytes held: the per-row slot index plus one batch of distinct ids and summed rows. */
  get bytes(): number {
    return this.slot.byteLength + this.uniqueIds.byteLength + this.gradSums.byteLength;
  }
}

/** `RowAccumulator.bytes` from the sizes alone (memory estimates before anything is allocated). */
export function rowAccumulatorBytes(rows: number, dim: number, maxBatch: number): number {
  return rows * 4 + Math.min(maxBatch, rows) * (1 + dim) * 4;
}
