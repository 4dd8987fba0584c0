/**
 * One field's shared table in the weight-sharing supernet: a plain table at the field's largest candidate dim, of
 * which a sampled configuration uses only the first `cols` columns. Those columns are gathered (the rest of the
 * field's slice of the tower input is zeroed), receive the gradient and the update; the other columns and their
 * optimizer state are left exactly as they were, so a narrower configuration never disturbs what a wider one trained.
 * The norm budget's decay and cap act on the active columns of the rows a step touches, with the batch's α.
 */
import type { PRNG } from 'seedrandom';
import { EmbeddingTable } from '../embedding-table.js';
import { capRow, decayRows } from '../norm-budget.js';
import { createSparseOptimizer, type SparseOptimizer } from '../sparse-optimizers.js';
import type { OptimizerName } from '../trial-config.js';

export class MaskedTable {
  readonly table: EmbeddingTable;
  readonly optimizer: SparseOptimizer;
  /**
   * Step of each row's last update (0 = never), whatever α that update had: the staleness the next decay uses. One
   * entry per row, not per column: a row last updated at a narrower dim counts as fresh in its wider columns too.
   */
  readonly lastStep: Int32Array;

  constructor(
    readonly rows: number,
    readonly maxDim: number,
    optimizer: OptimizerName,
    lr: number,
    maxBatch: number,
    rng: PRNG,
    readonly maxNorm?: number,
  ) {
    this.table = new EmbeddingTable(rows, maxDim, maxBatch, rng);
    if (maxNorm !== undefined) for (let r = 0; r < rows; r++) capRow(this.table.weights, r * maxDim, maxDim, maxNorm);
    this.optimizer = createSparseOptimizer(optimizer, rows, maxDim, lr);
    this.lastStep = new Int32Array(rows);
  }

  /** Writes the first `cols` columns of the rows of `ids[0..count)` into x at `offset` and zeroes the other maxDim − cols. */
  gather(ids: Int32Array, count: number, cols: number, x: Float32Array, width: number, offset: number): void {
    const { weights } = this.table;
    const dim = this.maxDim;
    for (let b = 0; b < count; b++) {
      const src = ids[b] * dim;
      const dst = b * width + offset;
      for (let k = 0; k < cols; k++) x[dst + k] = weights[src + k];
      for (let k = cols; k < dim; k++) x[dst + k] = 0;
    }
  }

  /** Sums dLoss/dx of the batch per distinct row (the masked columns' sums are computed but never applied). */
  backward(ids: Int32Array, count: number, dx: Float32Array, width: number, offset: number): void {
    this.table.accumulate(ids, count, dx, width, offset);
  }

  /** Decay, optimizer step and cap of the touched rows' first `cols` columns at global step t; then forgets the batch. */
  step(t: number, cols: number, alpha: number): void {
    const { table } = this;
    const n = table.numUnique;
    if (alpha > 0) decayRows(table.weights, this.maxDim, cols, table.uniqueIds, n, t, alpha, this.lastStep);
    else for (let i = 0; i < n; i++) this.lastStep[table.uniqueIds[i]] = t;
    this.optimizer.update(table.weights, table.uniqueIds, table.gradSums, n, t, cols);
    if (this.maxNorm !== undefined) {
      for (let i = 0; i < n; i++) capRow(table.weights, table.uniqueIds[i] * this.maxDim, cols, this.maxNorm);
    }
    table.release();
  }

  /** A rows × cols copy of the first `cols` columns: the table a stand-alone model of dim `cols` would start from. */
  slice(cols: number): Float32Array {
    const out = new Float32Array(this.rows * cols);
    const { weights } = this.table;
    for (let r = 0; r < this.rows; r++) out.set(weights.subarray(r * this.maxDim, r * this.maxDim + cols), r * cols);
    return out;
  }
}
