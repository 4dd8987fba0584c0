/**
 * The whole CTR model of a trial: one embedding table per kept field (TypeScript, sparse optimizer, norm budget),
 * concatenated into the tfjs tower. `trainBatch` is one training step; `predict` gives validation logits.
 */
import seedrandom from 'seedrandom';
import { EmbeddingTable } from './embedding-table.js';
import { NormBudget } from './norm-budget.js';
import { createSparseOptimizer, type SparseOptimizer } from './sparse-optimizers.js';
import { Tower } from './tower.js';
import type { TrialConfig } from './trial-config.js';

/** The part of an encoded dataset the model reads: row-major ids and labels. */
export interface BatchSource {
  ids: Int32Array;
  labels: Float32Array;
  numFields: number;
}

interface ActiveField {
  /** Index of the field in the dataset (and in config.fields). */
  field: number;
  table: EmbeddingTable;
  optimizer: SparseOptimizer;
  budget: NormBudget;
  /** First column of this field in the concatenated tower input. */
  offset: number;
  /** The batch's ids of this field. */
  batchIds: Int32Array;
}

export interface ModelGradients {
  loss: number;
  /** Tower parameter gradients, in `Tower.parameters()` order. */
  tower: Float32Array[];
  /** Dense gradient of each field's table (rows × dim; empty for dropped fields). */
  embeddings: Float32Array[];
}

/** A kept field's trained embedding table. */
export interface EmbeddingWeights {
  /** Index of the field in the dataset (and in config.fields). */
  field: number;
  name: string;
  rows: number;
  dim: number;
  /** rows × dim, row-major: row `id` is table[id·dim, (id+1)·dim). */
  table: Float32Array;
}

/** One dense layer of the tower: y = activation(x·kernel + bias). */
export interface DenseWeights {
  in: number;
  out: number;
  activation: 'relu' | 'linear';
  /** in × out, row-major (empty when `in` is 0: every field dropped, the model is its bias alone). */
  kernel: Float32Array;
  bias: Float32Array;
}

/** Copies of every trained parameter: enough to compute the model's logit without tfjs (see src/export/saved-model.ts). */
export interface ModelWeights {
  /** Kept fields only, in dataset order; their rows are concatenated in this order into the tower's input. */
  embeddings: EmbeddingWeights[];
  /** Input to output; the last layer has one output, the logit. */
  tower: DenseWeights[];
}

export class CtrModel {
  readonly active: ActiveField[] = [];
  readonly width: number;
  readonly tower: Tower;
  /** Global optimizer step: number of batches trained so far. */
  step = 0;
  /** Cumulative milliseconds of training steps by phase (for benchmarks; performance.now() is cheap). */
  readonly timing = { gatherMs: 0, towerMs: 0, sparseMs: 0 };
  private readonly x: Float32Array;
  private readonly y: Float32Array;

  constructor(
    readonly config: TrialConfig,
    readonly fieldRows: readonly number[],
    readonly maxBatch: number,
  ) {
    const rng = seedrandom.alea(`embnas-init:${config.seed}`);
    let offset = 0;
    config.fields.forEach((f, field) => {
      if (f.dim === 0) return;
      const rows = fieldRows[field];
      const table = new EmbeddingTable(rows, f.dim, maxBatch, rng);
      const budget = new NormBudget(rows, f.dim, f.normAlpha, f.maxNorm);
      budget.capAll(table.weights, rows);
      const optimizer = createSparseOptimizer(config.optimizer, rows, f.dim, config.lr);
      this.active.push({ field, table, optimizer, budget, offset, batchIds: new Int32Array(maxBatch) });
      offset += f.dim;
    });
    this.width = offset;
    this.x = new Float32Array(maxBatch * this.width);
    this.y = new Float32Array(maxBatch);
    this.tower = new Tower(this.width, config.tower, config.optimizer, config.lr, rng);
  }

  /**
   * Fills the input matrix and labels with `count` rows: rows order[start..start+count) of the dataset, or the
   * contiguous rows start..start+count when `order` is null.
   */
  private load(src: BatchSource, order: Int32Array | null, start: number, count: number): void {
    if (count > this.maxBatch) throw new Error(`batch of ${count} rows exceeds the model's maxBatch ${this.maxBatch}`);
    const { ids, labels, numFields } = src;
    for (let b = 0; b < count; b++) {
      const r = order ? order[start + b] : start + b;
      this.y[b] = labels[r];
      const base = r * numFields;
      for (const a of this.active) a.batchIds[b] = ids[base + a.field];
    }
    for (const a of this.active) a.table.gather(a.batchIds, count, this.x, this.width, a.offset);
  }

  /** One training step on a batch; returns the batch's mean loss. */
  trainBatch(src: BatchSource, order: Int32Array | null, start: number, count: number): number {
    const t0 = performance.now();
    this.load(src, order, start, count);
    const t1 = performance.now();
    const { loss, dx } = this.tower.trainStep(this.x, this.y, count);
    const t2 = performance.now();
    const step = ++this.step;
    for (const a of this.active) {
      const { table, budget, optimizer } = a;
      const n = table.accumulate(a.batchIds, count, dx, this.width, a.offset);
      budget.decay(table.weights, table.uniqueIds, n, step);
      optimizer.update(table.weights, table.uniqueIds, table.gradSums, n, step);
      budget.cap(table.weights, table.uniqueIds, n);
      table.release();
    }
    this.timing.gatherMs += t1 - t0;
    this.timing.towerMs += t2 - t1;
    this.timing.sparseMs += performance.now() - t2;
    return loss;
  }

  /** Loss and exact gradients of every parameter for one batch, without updating (gradient checks, debugging). */
  gradients(src: BatchSource, order: Int32Array | null, start: number, count: number): ModelGradients {
    this.load(src, order, start, count);
    const g = this.tower.gradients(this.x, this.y, count);
    const embeddings = this.config.fields.map(() => new Float32Array(0));
    for (const a of this.active) {
      const { table } = a;
      const n = table.accumulate(a.batchIds, count, g.dx, this.width, a.offset);
      const dense = new Float32Array(table.rows * table.dim);
      for (let i = 0; i < n; i++) {
        dense.set(table.gradSums.subarray(i * table.dim, (i + 1) * table.dim), table.uniqueIds[i] * table.dim);
      }
      table.release();
      embeddings[a.field] = dense;
    }
    return { loss: g.loss, tower: g.params, embeddings };
  }

  /** Logits of the contiguous rows [start, end), computed in chunks of maxBatch. */
  predict(src: BatchSource, start: number, end: number): Float32Array {
    const out = new Float32Array(end - start);
    for (let s = start; s < end; s += this.maxBatch) {
      const count = Math.min(this.maxBatch, end - s);
      this.load(src, null, s, count);
      out.set(this.tower.predict(this.x, count), s - start);
    }
    return out;
  }

  /** The embedding table of dataset field `field`, or undefined when the field is dropped. */
  table(field: number): EmbeddingTable | undefined {
    return this.active.find((a) => a.field === field)?.table;
  }

  /** Copies of the current parameters (export of a trained model). */
  weights(): ModelWeights {
    const embeddings = this.active.map((a) => ({
      field: a.field,
      name: this.config.fields[a.field].name,
      rows: a.table.rows,
      dim: a.table.dim,
      table: a.table.weights.slice(),
    }));
    const params = this.tower.parameters();
    if (this.width === 0) {
      return { embeddings, tower: [{ in: 0, out: 1, activation: 'linear', kernel: new Float32Array(0), bias: params[0] }] };
    }
    const sizes = [this.width, ...this.config.tower, 1];
    const tower: DenseWeights[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const activation = l + 2 < sizes.length ? 'relu' : 'linear';
      tower.push({ in: sizes[l], out: sizes[l + 1], activation, kernel: params[2 * l], bias: params[2 * l + 1] });
    }
    return { embeddings, tower };
  }

  /** Bytes of optimizer and norm-budget state actually allocated for the embedding tables. */
  get embeddingStateBytes(): number {
    return this.active.reduce((s, a) => s + a.optimizer.stateBytes + a.budget.stateBytes, 0);
  }

  dispose(): void {
    this.tower.dispose();
  }
}
