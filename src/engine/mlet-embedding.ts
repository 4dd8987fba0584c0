/**
 * MLET (Multi-Layer Embedding Training, arXiv 2309.15881): a field's table E (rows × d) is trained as the product
 * A·B of a sparse A (rows × k) and a small dense B (k × d), k = factor · d ≥ d. The model reads E[i] = A[i]·B; the
 * extra inner width changes the training dynamics (the paper finds the same accuracy with smaller d, i.e. a smaller
 * inference table), while inference uses the collapsed product alone.
 *
 * Training: dA[i] = dE[i]·Bᵀ (summed over duplicate ids first), dB = Σ_i A[i]ᵀ·dE[i]. A's touched rows get the same
 * sparse Adam/Adagrad with lazy moments and the same norm-budget decay λ = min(1, α·Δ) as a plain table (decaying
 * A[i] decays E[i] = A[i]·B by the same factor); B, touched by every batch, gets the trial's optimizer densely.
 *
 * maxNorm caps the effective row E[i], not A[i]: a row the model reads is scaled onto the ball of radius maxNorm
 * when it lies outside (with the exact gradient of that projection), and A's touched rows are scaled after each
 * update so that their E[i] is inside. Because every update of B moves every E[i], the cap on read keeps the
 * invariant for rows not touched lately; `collapse()` applies the same cap, so inference reads what training read.
 */
import type { PRNG } from 'seedrandom';
import { EMBEDDING_INIT_SCALE } from './embedding-table.js';
import type { EmbeddingSettings, FieldEmbedding } from './field-embedding.js';
import { orthonormalColumns } from './mlet-init.js';
import { NormBudget } from './norm-budget.js';
import { RowAccumulator, rowAccumulatorBytes } from './row-accumulator.js';
import { createSparseOptimizer, optimizerSlots, type SparseOptimizer } from './sparse-optimizers.js';
import type { FieldConfig, OptimizerName } from './trial-config.js';

export class MletEmbedding implements FieldEmbedding {
  readonly kind = 'mlet';
  readonly dim: number;
  /** Inner width k = mletFactor · dim. */
  readonly inner: number;
  /** rows × k, row-major. */
  readonly a: Float32Array;
  /** k × dim, row-major. */
  readonly b: Float32Array;
  private readonly maxNorm: number | undefined;
  /** The batch's distinct ids and their summed dLoss/dE rows. */
  private readonly batch: RowAccumulator;
  /** dA of the distinct ids (numUnique × k) and dB (k × dim) of the last backward. */
  private readonly gradA: Float32Array;
  private readonly gradB: Float32Array;
  /** 0..k-1: B is updated as k rows that are all touched. */
  private readonly allRowsOfB: Int32Array;
  private readonly optimizerA: SparseOptimizer;
  private readonly optimizerB: SparseOptimizer;
  /** Decay of A's rows (its cap is not used: the cap is on effective rows). */
  private readonly budget: NormBudget;
  private readonly e: Float64Array;

  constructor(
    private readonly field: FieldConfig,
    readonly rows: number,
    private readonly settings: EmbeddingSettings,
    rng: PRNG,
  ) {
    const d = field.dim;
    const k = (field.mletFactor ?? 1) * d;
    this.dim = d;
    this.inner = k;
    this.maxNorm = field.maxNorm;
    this.a = new Float32Array(rows * k);
    for (let i = 0; i < this.a.length; i++) this.a[i] = (rng() * 2 - 1) * EMBEDDING_INIT_SCALE;
    this.b = orthonormalColumns(k, d, rng);
    this.batch = new RowAccumulator(rows, d, settings.maxBatch);
    this.gradA = new Float32Array(this.batch.uniqueIds.length * k);
    this.gradB = new Float32Array(k * d);
    this.allRowsOfB = Int32Array.from({ length: k }, (_, l) => l);
    this.optimizerA = createSparseOptimizer(settings.optimizer, rows, k, settings.lr);
    this.optimizerB = createSparseOptimizer(settings.optimizer, k, d, settings.lr);
    this.budget = new NormBudget(rows, k, field.normAlpha, undefined);
    this.e = new Float64Array(d);
  }

  /** e = A[id]·B, in float64; returns ‖e‖. */
  private product(id: number, e: Float64Array): number {
    const { a, b, dim: d, inner: k } = this;
    e.fill(0);
    const base = id * k;
    for (let l = 0; l < k; l++) {
      const al = a[base + l];
      const row = l * d;
      for (let j = 0; j < d; j++) e[j] += al * b[row + j];
    }
    let sq = 0;
    for (let j = 0; j < d; j++) sq += e[j] * e[j];
    return Math.sqrt(sq);
  }

  /** Writes row `id` of the effective table, capped to maxNorm, at `out[at..at+dim)`. */
  private effectiveRow(id: number, out: Float32Array, at: number): void {
    const { e, maxNorm } = this;
    const norm = this.product(id, e);
    const scale = maxNorm !== undefined && norm > maxNorm ? maxNorm / norm : 1;
    for (let j = 0; j < this.dim; j++) out[at + j] = e[j] * scale;
  }

  lookup(ids: Int32Array, count: number, x: Float32Array, width: number, offset: number): void {
    for (let r = 0; r < count; r++) this.effectiveRow(ids[r], x, r * width + offset);
  }

  backward(ids: Int32Array, count: number, dx: Float32Array, width: number, offset: number): void {
    const { a, b, e, dim: d, inner: k, maxNorm, gradA, gradB } = this;
    const n = this.batch.accumulate(ids, count, dx, width, offset);
    const { uniqueIds, gradSums: g } = this.batch;
    gradB.fill(0);
    for (let u = 0; u < n; u++) {
      const id = uniqueIds[u];
      const gu = u * d;
      if (maxNorm !== undefined) {
        const norm = this.product(id, e);
        if (norm > maxNorm) {
          // y = c·e/‖e‖ ⇒ dL/de = (c/‖e‖)·(g − ê(ê·g)): the radial part of g is lost in the projection.
          let dot = 0;
          for (let j = 0; j < d; j++) dot += e[j] * g[gu + j];
          dot /= norm * norm;
          for (let j = 0; j < d; j++) g[gu + j] = (maxNorm / norm) * (g[gu + j] - dot * e[j]);
        }
      }
      const base = id * k;
      for (let l = 0; l < k; l++) {
        const al = a[base + l];
        const row = l * d;
        let s = 0;
        for (let j = 0; j < d; j++) {
          s += g[gu + j] * b[row + j];
          gradB[row + j] += al * g[gu + j];
        }
        gradA[u * k + l] = s;
      }
    }
  }

  step(t: number): void {
    const { a, b, batch, maxNorm } = this;
    const n = batch.numUnique;
    this.budget.decay(a, batch.uniqueIds, n, t);
    this.optimizerA.update(a, batch.uniqueIds, this.gradA, n, t);
    this.optimizerB.update(b, this.allRowsOfB, this.gradB, this.inner, t);
    if (maxNorm !== undefined) {
      for (let u = 0; u < n; u++) {
        const id = batch.uniqueIds[u];
        const norm = this.product(id, this.e);
        if (norm <= maxNorm) continue;
        const scale = maxNorm / norm;
        for (let l = id * this.inner, end = l + this.inner; l < end; l++) a[l] *= scale;
      }
    }
    batch.release();
  }

  gradients(): { table: Float32Array; params: Float32Array[] } {
    const { batch, dim: d, inner: k } = this;
    const table = new Float32Array(this.rows * d);
    const dA = new Float32Array(this.rows * k);
    for (let u = 0; u < batch.numUnique; u++) {
      const id = batch.uniqueIds[u];
      table.set(batch.gradSums.subarray(u * d, (u + 1) * d), id * d);
      dA.set(this.gradA.subarray(u * k, (u + 1) * k), id * k);
    }
    batch.release();
    return { table, params: [dA, this.gradB.slice()] };
  }

  parameters(): Float32Array[] {
    return [this.a, this.b];
  }

  get inferenceBytes(): number {
    return this.rows * this.dim * 4;
  }

  get trainingBytes(): number {
    return mletTrainingBytes(this.field, this.rows, this.settings.optimizer, this.settings.maxBatch);
  }

  collapse(): Float32Array {
    const out = new Float32Array(this.rows * this.dim);
    for (let id = 0; id < this.rows; id++) this.effectiveRow(id, out, id * this.dim);
    return out;
  }
}

/**
 * A and B with their optimizer slots, the decay's last-update steps (when on), the batch bookkeeping (distinct ids,
 * summed dE rows, their dA rows), dB and B's row list.
 */
export function mletTrainingBytes(
  field: FieldConfig,
  rows: number,
  optimizer: OptimizerName,
  maxBatch: number,
): number {
  const d = field.dim;
  const k = (field.mletFactor ?? 1) * d;
  const params = rows * k + k * d;
  const decaySteps = field.normAlpha > 0 ? rows * 4 : 0;
  const scratch = rowAccumulatorBytes(rows, d, maxBatch) + Math.min(maxBatch, rows) * k * 4 + k * d * 4 + k * 4;
  return params * 4 * (1 + optimizerSlots(optimizer)) + decaySteps + scratch;
}
