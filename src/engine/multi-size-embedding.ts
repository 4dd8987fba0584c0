/**
 * NIS multi-size embedding (block-layout.ts): the frequent values of a field get wide rows, the rarer ones narrow
 * rows projected up to the field's dim D, the rarest none at all (they read the OOV row), so memory goes where the
 * data is. Block b of dim d_b < D reads e = E_b[id − start_b] · P_b, P_b a trained d_b × D matrix.
 *
 * Training: dLoss/dE is summed per distinct (remapped) id first, as for a plain table; each block then gets its
 * rows' gradients (through P_bᵀ when projected) and P_b the sum of E_b[row] ⊗ dE over the block's rows. Only the touched
 * rows of each block are updated (sparse Adam/Adagrad); P_b, like MLET's B, is updated every step. The norm budget
 * (normAlpha, maxNorm) acts on each block's own rows, before projection.
 *
 * Unlike MLET and Res-embedding, the point is a smaller inference model, so the inference bytes count the blocks and
 * projections (blockParams), and the saved model keeps them (`blockWeights`); `collapse()` still gives the
 * effective rows × D table for checks and for consumers that want one table.
 */
import type { PRNG } from 'seedrandom';
import { blockLayout, blockParams, type Block } from './block-layout.js';
import { EmbeddingTable } from './embedding-table.js';
import type { EmbeddingSettings, FieldEmbedding } from './field-embedding.js';
import { orthonormalColumns } from './mlet-init.js';
import { NormBudget } from './norm-budget.js';
import { updateTouchedRows } from './plain-embedding.js';
import { RowAccumulator, rowAccumulatorBytes } from './row-accumulator.js';
import { createSparseOptimizer, optimizerSlots, type SparseOptimizer } from './sparse-optimizers.js';
import type { FieldConfig, OptimizerName } from './trial-config.js';

/** One block with rows: its table, its projection (null when of dim D), their optimizers and norm budget. */
interface TrainedBlock extends Block {
  table: EmbeddingTable;
  projection: Float32Array | null;
  gradProjection: Float32Array | null;
  allProjectionRows: Int32Array;
  optimizer: SparseOptimizer;
  optimizerP: SparseOptimizer | null;
  budget: NormBudget;
}

/** A block's trained weights, as the saved model stores them. */
export interface BlockWeights {
  start: number;
  end: number;
  dim: number;
  /** (end − start) × dim, row-major. */
  table: Float32Array;
  /** dim × D, row-major; null when the block has the field's dim. */
  projection: Float32Array | null;
}

export class MultiSizeEmbedding implements FieldEmbedding {
  readonly kind = 'blocks';
  readonly dim: number;
  readonly layout: Block[];
  private readonly blocks: (TrainedBlock | null)[];
  /** Id → the id whose row it reads (itself, or the OOV row for cut ids and dim-0 blocks). */
  private readonly rowOf: Int32Array;
  /** Effective id → index of its block in `layout`. */
  private readonly blockOf: Uint8Array;
  /** The batch's remapped ids and the sum of dLoss/dE per distinct one. */
  private readonly mapped: Int32Array;
  private readonly effective: RowAccumulator;
  /** Per block, the local ids and gradient rows handed to its table's accumulator. */
  private readonly localIds: Int32Array;
  private readonly localGrads: Float32Array;

  constructor(
    private readonly field: FieldConfig,
    readonly rows: number,
    private readonly settings: EmbeddingSettings,
    rng: PRNG,
  ) {
    const D = field.dim;
    this.dim = D;
    this.layout = blockLayout(field, rows);
    const oovId = rows - 2;
    this.rowOf = new Int32Array(rows);
    this.blockOf = new Uint8Array(rows);
    this.layout.forEach((b, i) => {
      for (let id = b.start; id < b.end; id++) {
        this.rowOf[id] = b.dim > 0 ? id : oovId;
        this.blockOf[id] = i;
      }
    });
    const { optimizer, lr, maxBatch } = settings;
    this.blocks = this.layout.map((b): TrainedBlock | null => {
      if (b.dim === 0) return null;
      const n = b.end - b.start;
      const table = new EmbeddingTable(n, b.dim, maxBatch, rng);
      const budget = new NormBudget(n, b.dim, field.normAlpha, field.maxNorm);
      budget.capAll(table.weights, n);
      return {
        ...b,
        table,
        budget,
        optimizer: createSparseOptimizer(optimizer, n, b.dim, lr),
        projection: null,
        gradProjection: null,
        allProjectionRows: new Int32Array(0),
        optimizerP: null,
      };
    });
    // Projections after every table, so the tables draw the same numbers whatever the block dims.
    for (const b of this.blocks) {
      if (!b?.projected) continue;
      b.projection = transpose(orthonormalColumns(D, b.dim, rng), D, b.dim);
      b.gradProjection = new Float32Array(b.dim * D);
      b.allProjectionRows = Int32Array.from({ length: b.dim }, (_, l) => l);
      b.optimizerP = createSparseOptimizer(optimizer, b.dim, D, lr);
    }
    this.mapped = new Int32Array(maxBatch);
    this.effective = new RowAccumulator(rows, D, maxBatch);
    this.localIds = new Int32Array(maxBatch);
    this.localGrads = new Float32Array(maxBatch * D);
  }

  /** Writes the effective row of (already remapped) id `id` at out[at..at + D). */
  private row(id: number, out: Float32Array, at: number): void {
    const b = this.blocks[this.blockOf[id]]!;
    const D = this.dim;
    const d = b.dim;
    const w = b.table.weights;
    const base = (id - b.start) * d;
    if (b.projection === null) {
      for (let j = 0; j < D; j++) out[at + j] = w[base + j];
      return;
    }
    const p = b.projection;
    for (let j = 0; j < D; j++) out[at + j] = 0;
    for (let l = 0; l < d; l++) {
      const el = w[base + l];
      const prow = l * D;
      for (let j = 0; j < D; j++) out[at + j] += el * p[prow + j];
    }
  }

  lookup(ids: Int32Array, count: number, x: Float32Array, width: number, offset: number): void {
    for (let r = 0; r < count; r++) this.row(this.rowOf[ids[r]], x, r * width + offset);
  }

  backward(ids: Int32Array, count: number, dx: Float32Array, width: number, offset: number): void {
    const { mapped, rowOf, effective, localIds, localGrads, dim: D } = this;
    for (let r = 0; r < count; r++) mapped[r] = rowOf[ids[r]];
    const n = effective.accumulate(mapped, count, dx, width, offset);
    const { uniqueIds, gradSums: g } = effective;
    this.blocks.forEach((b, i) => {
      if (b === null) return;
      const d = b.dim;
      const w = b.table.weights;
      const p = b.projection;
      const gp = b.gradProjection;
      gp?.fill(0);
      let m = 0;
      for (let u = 0; u < n; u++) {
        const id = uniqueIds[u];
        if (this.blockOf[id] !== i) continue;
        const local = id - b.start;
        localIds[m] = local;
        const gu = u * D;
        if (p === null || gp === null) {
          for (let j = 0; j < D; j++) localGrads[m * D + j] = g[gu + j];
        } else {
          // dE_b[local] = dE · P_bᵀ and dP_b += E_b[local] ⊗ dE
          for (let l = 0; l < d; l++) {
            const el = w[local * d + l];
            const prow = l * D;
            let s = 0;
            for (let j = 0; j < D; j++) {
              s += g[gu + j] * p[prow + j];
              gp[prow + j] += el * g[gu + j];
            }
            localGrads[m * d + l] = s;
          }
        }
        m++;
      }
      b.table.accumulate(localIds, m, localGrads, d, 0);
    });
  }

  step(t: number): void {
    for (const b of this.blocks) {
      if (b === null) continue;
      updateTouchedRows(b.table, b.budget, b.optimizer, t);
      if (b.projection && b.gradProjection && b.optimizerP)
        b.optimizerP.update(b.projection, b.allProjectionRows, b.gradProjection, b.dim, t);
    }
    this.effective.release();
  }

  gradients(): { table: Float32Array; params: Float32Array[] } {
    const { effective, dim: D } = this;
    const dense = new Float32Array(this.rows * D);
    for (let u = 0; u < effective.numUnique; u++)
      dense.set(effective.gradSums.subarray(u * D, (u + 1) * D), effective.uniqueIds[u] * D);
    const params: Float32Array[] = [];
    for (const b of this.blocks) {
      if (b === null) continue;
      const { table } = b;
      const dTable = new Float32Array(table.rows * table.dim);
      for (let u = 0; u < table.numUnique; u++)
        dTable.set(table.gradSums.subarray(u * table.dim, (u + 1) * table.dim), table.uniqueIds[u] * table.dim);
      table.release();
      params.push(dTable);
      if (b.gradProjection) params.push(b.gradProjection.slice());
    }
    effective.release();
    return { table: dense, params };
  }

  /** Per block with rows, in id order: its table, then its projection when it has one. */
  parameters(): Float32Array[] {
    return this.blocks.flatMap((b) =>
      b === null ? [] : b.projection ? [b.table.weights, b.projection] : [b.table.weights],
    );
  }

  /** Copies of the blocks with rows, for the saved model. */
  blockWeights(): BlockWeights[] {
    return this.blocks.flatMap((b) =>
      b === null
        ? []
        : [
            {
              start: b.start,
              end: b.end,
              dim: b.dim,
              table: b.table.weights.slice(),
              projection: b.projection?.slice() ?? null,
            },
          ],
    );
  }

  get inferenceBytes(): number {
    return blockParams(this.field, this.rows) * 4;
  }

  get trainingBytes(): number {
    return multiSizeTrainingBytes(this.field, this.rows, this.settings.optimizer, this.settings.maxBatch);
  }

  collapse(): Float32Array {
    const out = new Float32Array(this.rows * this.dim);
    for (let id = 0; id < this.rows; id++) this.row(this.rowOf[id], out, id * this.dim);
    return out;
  }
}

/**
 * Each block's table and projection with their optimizer slots, the decay's last-update steps, the blocks' batch
 * bookkeeping and dP; the id maps, the summed dE of the batch and the per-block scratch.
 */
export function multiSizeTrainingBytes(
  field: FieldConfig,
  rows: number,
  optimizer: OptimizerName,
  maxBatch: number,
): number {
  const D = field.dim;
  const perParam = 4 * (1 + optimizerSlots(optimizer));
  let bytes = 0;
  for (const b of blockLayout(field, rows)) {
    if (b.dim === 0) continue;
    const n = b.end - b.start;
    bytes += n * b.dim * perParam + (field.normAlpha > 0 ? n * 4 : 0) + rowAccumulatorBytes(n, b.dim, maxBatch);
    if (b.projected) bytes += b.dim * D * (perParam + 4) + b.dim * 4;
  }
  return bytes + rows * 5 + rowAccumulatorBytes(rows, D, maxBatch) + maxBatch * 4 * (2 + D);
}

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
  return t;
}
