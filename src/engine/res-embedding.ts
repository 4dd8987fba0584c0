/**
 * Res-embedding (residual embeddings): the vector of value v is the central embedding of its cluster plus a residual
 * of its own, e_v = C[cluster(v)] + R[v], with C a k × dim table and R a rows × dim table (clusters from value
 * co-occurrence, res-clusters.ts). Values of one cluster share most of their representation, learned from all their
 * rows together; the residual adds what is specific to v and is kept small by its own adaptive decay, so a rare
 * value stays close to its centre instead of to its random initialisation.
 *
 * Training: dE[v] is summed over the batch's duplicate ids for R, and over the batch rows of each cluster for C, so
 * only the touched rows of both tables are updated (sparse Adam/Adagrad with lazy moments). C gets the field's norm
 * budget (normAlpha, maxNorm) as a plain table would; R gets the decay λ = min(1, resAlpha·Δ) and no cap. R starts at
 * zero: every value starts at its centre, whose initialisation is that of a plain table.
 *
 * Inference reads the collapsed rows × dim table C[cluster] + R (`collapse()`), the same rows `lookup` writes, so the
 * inference footprint and the saved model are those of a plain table.
 */
import type { PRNG } from 'seedrandom';
import { EmbeddingTable } from './embedding-table.js';
import type { EmbeddingSettings, FieldEmbedding } from './field-embedding.js';
import { NormBudget } from './norm-budget.js';
import { updateTouchedRows } from './plain-embedding.js';
import { RowAccumulator, rowAccumulatorBytes } from './row-accumulator.js';
import { createSparseOptimizer, optimizerSlots, type SparseOptimizer } from './sparse-optimizers.js';
import type { FieldConfig, OptimizerName } from './trial-config.js';

/** α of the residual's decay when a config leaves `resAlpha` out (docs/res-embedding.md: how it was chosen). */
export const DEFAULT_RES_ALPHA = 1e-4;

export class ResEmbedding implements FieldEmbedding {
  readonly kind = 'res';
  readonly dim: number;
  /** Number of clusters k (rows of the central table). */
  readonly clusters: number;
  /** k × dim central table, with the batch bookkeeping of its gradient (rows = clusters). */
  readonly central: EmbeddingTable;
  /** rows × dim residuals, row-major. */
  readonly residual: Float32Array;
  private readonly residualBatch: RowAccumulator;
  private readonly clusterOf: Int32Array;
  /** The clusters of the last batch, row by row (the ids the central table accumulates over). */
  private readonly batchClusters: Int32Array;
  private readonly optimizerC: SparseOptimizer;
  private readonly optimizerR: SparseOptimizer;
  private readonly budgetC: NormBudget;
  private readonly budgetR: NormBudget;

  /** `clusterOf[id]` in [0, resClusters) for every id (length rows). */
  constructor(
    private readonly field: FieldConfig,
    readonly rows: number,
    private readonly settings: EmbeddingSettings,
    rng: PRNG,
    clusterOf: Int32Array,
  ) {
    const d = field.dim;
    const k = field.resClusters ?? 0;
    if (clusterOf.length !== rows) throw new Error(`ResEmbedding: ${clusterOf.length} cluster ids for ${rows} rows`);
    for (const c of clusterOf) if (!(c >= 0 && c < k)) throw new Error(`ResEmbedding: cluster ${c} outside [0, ${k})`);
    this.dim = d;
    this.clusters = k;
    this.clusterOf = clusterOf;
    this.central = new EmbeddingTable(k, d, settings.maxBatch, rng);
    this.residual = new Float32Array(rows * d);
    this.residualBatch = new RowAccumulator(rows, d, settings.maxBatch);
    this.batchClusters = new Int32Array(settings.maxBatch);
    this.optimizerC = createSparseOptimizer(settings.optimizer, k, d, settings.lr);
    this.optimizerR = createSparseOptimizer(settings.optimizer, rows, d, settings.lr);
    this.budgetC = new NormBudget(k, d, field.normAlpha, field.maxNorm);
    this.budgetC.capAll(this.central.weights, k);
    this.budgetR = new NormBudget(rows, d, field.resAlpha ?? DEFAULT_RES_ALPHA, undefined);
  }

  lookup(ids: Int32Array, count: number, x: Float32Array, width: number, offset: number): void {
    const { dim: d, clusterOf, residual } = this;
    const c = this.central.weights;
    for (let r = 0; r < count; r++) {
      const id = ids[r];
      const cb = clusterOf[id] * d;
      const rb = id * d;
      const dst = r * width + offset;
      for (let j = 0; j < d; j++) x[dst + j] = c[cb + j] + residual[rb + j];
    }
  }

  backward(ids: Int32Array, count: number, dx: Float32Array, width: number, offset: number): void {
    const { batchClusters, clusterOf } = this;
    this.residualBatch.accumulate(ids, count, dx, width, offset);
    for (let r = 0; r < count; r++) batchClusters[r] = clusterOf[ids[r]];
    this.central.accumulate(batchClusters, count, dx, width, offset);
  }

  step(t: number): void {
    const { central: c, residualBatch: rb } = this;
    updateTouchedRows(c, this.budgetC, this.optimizerC, t);
    this.budgetR.decay(this.residual, rb.uniqueIds, rb.numUnique, t);
    this.optimizerR.update(this.residual, rb.uniqueIds, rb.gradSums, rb.numUnique, t);
    rb.release();
  }

  gradients(): { table: Float32Array; params: Float32Array[] } {
    const { central: c, residualBatch: rb, dim: d } = this;
    const dC = new Float32Array(this.clusters * d);
    for (let u = 0; u < c.numUnique; u++) dC.set(c.gradSums.subarray(u * d, (u + 1) * d), c.uniqueIds[u] * d);
    // dE[v] = dR[v]: the residual is the effective row minus a constant.
    const dR = new Float32Array(this.rows * d);
    for (let u = 0; u < rb.numUnique; u++) dR.set(rb.gradSums.subarray(u * d, (u + 1) * d), rb.uniqueIds[u] * d);
    c.release();
    rb.release();
    return { table: dR.slice(), params: [dC, dR] };
  }

  parameters(): Float32Array[] {
    return [this.central.weights, this.residual];
  }

  /** The cluster of each id (a copy). */
  clusterMap(): Int32Array {
    return this.clusterOf.slice();
  }

  get inferenceBytes(): number {
    return this.rows * this.dim * 4;
  }

  get trainingBytes(): number {
    return resTrainingBytes(this.field, this.rows, this.settings.optimizer, this.settings.maxBatch);
  }

  collapse(): Float32Array {
    const out = new Float32Array(this.rows * this.dim);
    const ids = Int32Array.from({ length: this.rows }, (_, i) => i);
    this.lookup(ids, this.rows, out, this.dim, 0);
    return out;
  }
}

/**
 * C and R with their optimizer slots, the decays' last-update steps (C's when normAlpha > 0, R's when its α > 0), the
 * cluster map, the batch bookkeeping of both tables and the batch's cluster ids.
 */
export function resTrainingBytes(field: FieldConfig, rows: number, optimizer: OptimizerName, maxBatch: number): number {
  const d = field.dim;
  const k = field.resClusters ?? 0;
  const params = (k + rows) * d;
  const decaySteps = (field.normAlpha > 0 ? k * 4 : 0) + ((field.resAlpha ?? DEFAULT_RES_ALPHA) > 0 ? rows * 4 : 0);
  const bookkeeping =
    rows * 4 + rowAccumulatorBytes(rows, d, maxBatch) + rowAccumulatorBytes(k, d, maxBatch) + maxBatch * 4;
  return params * 4 * (1 + optimizerSlots(optimizer)) + decaySteps + bookkeeping;
}
