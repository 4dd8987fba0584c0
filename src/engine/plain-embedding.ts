/**
 * A field trained as a plain rows × dim table: sparse Adam/Adagrad on the rows a batch touched, the norm budget's
 * lazy decay before the update and its optional hard cap after it.
 */
import type { PRNG } from 'seedrandom';
import { EmbeddingTable } from './embedding-table.js';
import type { EmbeddingSettings, FieldEmbedding } from './field-embedding.js';
import { NormBudget } from './norm-budget.js';
import { rowAccumulatorBytes } from './row-accumulator.js';
import { createSparseOptimizer, optimizerSlots, type SparseOptimizer } from './sparse-optimizers.js';
import type { FieldConfig, OptimizerName } from './trial-config.js';

export class PlainEmbedding implements FieldEmbedding {
  readonly kind = 'plain';
  readonly table: EmbeddingTable;
  private readonly optimizer: SparseOptimizer;
  private readonly budget: NormBudget;

  constructor(
    private readonly field: FieldConfig,
    readonly rows: number,
    private readonly settings: EmbeddingSettings,
    rng: PRNG,
  ) {
    this.table = new EmbeddingTable(rows, field.dim, settings.maxBatch, rng);
    this.budget = new NormBudget(rows, field.dim, field.normAlpha, field.maxNorm);
    this.budget.capAll(this.table.weights, rows);
    this.optimizer = createSparseOptimizer(settings.optimizer, rows, field.dim, settings.lr);
  }

  get dim(): number {
    return this.table.dim;
  }

  lookup(ids: Int32Array, count: number, x: Float32Array, width: number, offset: number): void {
    this.table.gather(ids, count, x, width, offset);
  }

  backward(ids: Int32Array, count: number, dx: Float32Array, width: number, offset: number): void {
    this.table.accumulate(ids, count, dx, width, offset);
  }

  step(t: number): void {
    updateTouchedRows(this.table, this.budget, this.optimizer, t);
  }

  gradients(): { table: Float32Array; params: Float32Array[] } {
    const { table } = this;
    const dense = new Float32Array(table.rows * table.dim);
    for (let i = 0; i < table.numUnique; i++) {
      dense.set(table.gradSums.subarray(i * table.dim, (i + 1) * table.dim), table.uniqueIds[i] * table.dim);
    }
    table.release();
    return { table: dense, params: [dense.slice()] };
  }

  parameters(): Float32Array[] {
    return [this.table.weights];
  }

  get inferenceBytes(): number {
    return this.table.weights.byteLength;
  }

  get trainingBytes(): number {
    return plainTrainingBytes(this.field, this.rows, this.settings.optimizer, this.settings.maxBatch);
  }

  collapse(): Float32Array {
    return this.table.weights.slice();
  }
}

/**
 * The update of a table's rows touched by the batch, shared by every table of rows (plain, multi-size blocks,
 * Res-embedding's centres): the norm budget's decay first, then the optimizer step, then the cap; then the batch is
 * forgotten.
 */
export function updateTouchedRows(
  table: EmbeddingTable,
  budget: NormBudget,
  optimizer: SparseOptimizer,
  t: number,
): void {
  const n = table.numUnique;
  budget.decay(table.weights, table.uniqueIds, n, t);
  optimizer.update(table.weights, table.uniqueIds, table.gradSums, n, t);
  budget.cap(table.weights, table.uniqueIds, n);
  table.release();
}

/** The table with its optimizer slots, the last-update steps of the decay (when on), the batch bookkeeping. */
export function plainTrainingBytes(
  field: FieldConfig,
  rows: number,
  optimizer: OptimizerName,
  maxBatch: number,
): number {
  const params = rows * field.dim;
  const decaySteps = field.normAlpha > 0 ? rows * 4 : 0;
  return params * 4 * (1 + optimizerSlots(optimizer)) + decaySteps + rowAccumulatorBytes(rows, field.dim, maxBatch);
}
