/**
 * The whole CTR model of a trial: one embedding per kept field (TypeScript: a plain table, MLET factors,
 * Res-embedding or multi-size blocks, sparse optimizer, norm budget — see field-embedding.ts), concatenated into the
 * tfjs tower.
 * `trainBatch` is one training step; `predict` gives validation logits.
 */
import { MultiSizeEmbedding, type BlockWeights } from './multi-size-embedding.js';
import seedrandom from 'seedrandom';
import type { EmbeddingTable } from './embedding-table.js';
import { createFieldEmbedding } from './embedding-techniques.js';
import type { FieldEmbedding } from './field-embedding.js';
import { tableArray } from './native-addon.js';
import { PlainEmbedding } from './plain-embedding.js';
import { createTower, type Tower } from './tower.js';
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
  embedding: FieldEmbedding;
  /** First column of this field in the concatenated tower input. */
  offset: number;
  /** The batch's ids of this field. */
  batchIds: Int32Array;
}

export interface ModelGradients {
  loss: number;
  /** Tower parameter gradients, in `Tower.parameters()` order. */
  tower: Float32Array[];
  /** Dense gradient of each field's effective table E (rows × dim; empty for dropped fields). */
  embeddings: Float32Array[];
  /** Per field, dense gradients of its trained parameters in `FieldEmbedding.parameters()` order ([] when dropped). */
  embeddingParams: Float32Array[][];
}

/** A kept field's trained embedding table. */
export interface EmbeddingWeights {
  /** Index of the field in the dataset (and in config.fields). */
  field: number;
  name: string;
  rows: number;
  dim: number;
  /** rows × dim, row-major: row `id` is table[id·dim, (id+1)·dim). An MLET field's is the collapsed product A·B. */
  table: Float32Array;
  /** A multi-size field's blocks as trained (its `table` is their effective rows); the saved model stores these. */
  blocks?: BlockWeights[];
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

/** Copies of every trained parameter: enough to compute the model's logit without tfjs (see src/export/saved-model/). */
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

  /**
   * `clusters(field, k)`: the cluster of every id of dataset field `field` (needed only by fields with resClusters > 0;
   * train() clusters its training rows, see res-clusters.ts).
   */
  constructor(
    readonly config: TrialConfig,
    readonly fieldRows: readonly number[],
    readonly maxBatch: number,
    clusters?: (field: number, k: number) => Int32Array,
  ) {
    const rng = seedrandom.alea(`embnas-init:${config.seed}`);
    let offset = 0;
    config.fields.forEach((f, field) => {
      if (f.dim === 0) return;
      const settings = { optimizer: config.optimizer, lr: config.lr, maxBatch };
      const source = clusters && ((k: number) => clusters(field, k));
      const embedding = createFieldEmbedding(f, fieldRows[field], settings, rng, source);
      this.active.push({ field, embedding, offset, batchIds: new Int32Array(maxBatch) });
      offset += f.dim;
    });
    this.width = offset;
    this.x = tableArray(maxBatch * this.width);
    this.y = new Float32Array(maxBatch);
    this.tower = createTower(this.width, config.tower, config.optimizer, config.lr, rng);
  }

  /**
   * Fills the input matrix and labels with `count` rows: rows order[start..start+count) of the dataset, or the
   * contiguous rows start..start+count when `order` is null.
   */
  private load(src: BatchSource, order: Int32Array | null, start: number, count: number): void {
    if (count > this.maxBatch) throw new Error(`batch of ${count} rows exceeds the model's maxBatch ${this.maxBatch}`);
    const { ids, labels, numFields } = src;
    for (let b = 0; b < count; b++) this.y[b] = labels[order ? order[start + b] : start + b];
    // Field by field: each inner loop copies between two typed arrays (0.07 ms for the reference batch, 0.2 row by row).
    for (const { batchIds, field } of this.active) {
      if (order) for (let b = 0; b < count; b++) batchIds[b] = ids[order[start + b] * numFields + field];
      else for (let b = 0, i = start * numFields + field; b < count; b++, i += numFields) batchIds[b] = ids[i];
    }
    for (const a of this.active) a.embedding.lookup(a.batchIds, count, this.x, this.width, a.offset);
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
      a.embedding.backward(a.batchIds, count, dx, this.width, a.offset);
      a.embedding.step(step);
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
    const embeddings = this.config.fields.map((): Float32Array => new Float32Array(0));
    const embeddingParams = this.config.fields.map((): Float32Array[] => []);
    for (const a of this.active) {
      a.embedding.backward(a.batchIds, count, g.dx, this.width, a.offset);
      const { table, params } = a.embedding.gradients();
      embeddings[a.field] = table;
      embeddingParams[a.field] = params;
    }
    return { loss: g.loss, tower: g.params, embeddings, embeddingParams };
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

  /** The embedding of dataset field `field`, or undefined when the field is dropped. */
  embedding(field: number): FieldEmbedding | undefined {
    return this.active.find((a) => a.field === field)?.embedding;
  }

  /** The plain table of dataset field `field`; undefined when the field is dropped or trained otherwise (MLET). */
  table(field: number): EmbeddingTable | undefined {
    const e = this.embedding(field);
    return e instanceof PlainEmbedding ? e.table : undefined;
  }

  /** Copies of the current parameters (export of a trained model). */
  weights(): ModelWeights {
    const embeddings = this.active.map((a) => ({
      field: a.field,
      name: this.config.fields[a.field].name,
      rows: a.embedding.rows,
      dim: a.embedding.dim,
      table: a.embedding.collapse(),
      ...(a.embedding instanceof MultiSizeEmbedding ? { blocks: a.embedding.blockWeights() } : {}),
    }));
    const params = this.tower.parameters();
    if (this.width === 0) {
      return {
        embeddings,
        tower: [{ in: 0, out: 1, activation: 'linear', kernel: new Float32Array(0), bias: params[0] }],
      };
    }
    const sizes = [this.width, ...this.config.tower, 1];
    const tower: DenseWeights[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const activation = l + 2 < sizes.length ? 'relu' : 'linear';
      tower.push({ in: sizes[l], out: sizes[l + 1], activation, kernel: params[2 * l], bias: params[2 * l + 1] });
    }
    return { embeddings, tower };
  }

  /** Bytes the embeddings hold while training (parameters, optimizer and norm-budget state, batch scratch). */
  get embeddingTrainingBytes(): number {
    return this.active.reduce((s, a) => s + a.embedding.trainingBytes, 0);
  }

  dispose(): void {
    this.tower.dispose();
  }
}
