/**
 * The embedding of one kept field, as the model sees it: ids in, rows × dim vectors out, whatever parameters sit
 * behind them. A plain table (plain-embedding.ts) stores the rows themselves; MLET (mlet-embedding.ts) trains them
 * as a product A·B; Res-embedding (res-embedding.ts) as a cluster centre plus a residual. More ways of producing a
 * field's rows (multi-size blocks, say) are more implementations of this interface: the model, the memory estimate
 * and the export only talk to it.
 *
 * Inference always uses a plain rows × dim table (`collapse()`), so the inference footprint and the saved-model
 * format do not depend on how a field was trained.
 */
import type { PRNG } from 'seedrandom';
import { isMultiSize } from './block-layout.js';
import { MletEmbedding, mletTrainingBytes } from './mlet-embedding.js';
import { MultiSizeEmbedding, multiSizeTrainingBytes } from './multi-size-embedding.js';
import { PlainEmbedding, plainTrainingBytes } from './plain-embedding.js';
import { ResEmbedding, resTrainingBytes } from './res-embedding.js';
import type { FieldConfig, OptimizerName } from './trial-config.js';

export interface FieldEmbedding {
  readonly kind: 'plain' | 'mlet' | 'res' | 'blocks';
  readonly rows: number;
  /** Width of the field's vectors in the tower input. */
  readonly dim: number;
  /** Writes the vectors of `ids[0..count)` into `x` (row stride `width`), columns [offset, offset + dim). */
  lookup(ids: Int32Array, count: number, x: Float32Array, width: number, offset: number): void;
  /**
   * Takes dLoss/dx of the batch last looked up with the same ids (columns [offset, offset + dim) of `dx`) and
   * computes the gradients of the field's parameters, held until `step` or `gradients`.
   */
  backward(ids: Int32Array, count: number, dx: Float32Array, width: number, offset: number): void;
  /** Applies the held gradients (norm-budget decay, optimizer update, row cap) at global step `t` (1-based). */
  step(t: number): void;
  /**
   * Dense copies of the held gradients, without updating anything (gradient checks): dLoss/dE for the effective
   * table E (rows × dim), then one array per entry of `parameters()`, in that order.
   */
  gradients(): { table: Float32Array; params: Float32Array[] };
  /** The trained parameters themselves (not copies), e.g. [table] or [A, B]. */
  parameters(): Float32Array[];
  /** Bytes of the field's inference table: rows · dim · 4. */
  readonly inferenceBytes: number;
  /** Bytes this field holds while training: parameters, optimizer state, per-row bookkeeping, batch scratch. */
  readonly trainingBytes: number;
  /** The effective rows × dim table: exactly the vectors `lookup` writes, as one plain table (a new array). */
  collapse(): Float32Array;
}

export interface EmbeddingSettings {
  optimizer: OptimizerName;
  lr: number;
  /** Largest batch the model looks up at once (training or prediction). */
  maxBatch: number;
}

/**
 * The cluster of each id of a field, for Res-embedding (res-clusters.ts): computed from the training rows, which the
 * config alone does not know, so the model's owner supplies it.
 */
export type ClusterSource = (k: number) => Int32Array;

/**
 * The implementation a field's config asks for: multi-size blocks when it has blocks or a vocabulary cut, MLET when mletFactor > 0, Res-embedding when resClusters > 0 (with
 * the clusters from `clusters`), a plain table otherwise.
 */
export function createFieldEmbedding(field: FieldConfig, rows: number, settings: EmbeddingSettings, rng: PRNG, clusters?: ClusterSource): FieldEmbedding {
  if (isMultiSize(field)) return new MultiSizeEmbedding(field, rows, settings, rng);
  const k = field.resClusters ?? 0;
  if (k > 0) {
    if (!clusters) throw new Error(`field ${field.name} uses Res-embedding but no cluster source was given`);
    return new ResEmbedding(field, rows, settings, rng, clusters(k));
  }
  return (field.mletFactor ?? 0) > 0 ? new MletEmbedding(field, rows, settings, rng) : new PlainEmbedding(field, rows, settings, rng);
}

/** `trainingBytes` of the field's embedding, from the config alone (nothing allocated). 0 for a dropped field. */
export function fieldTrainingBytes(field: FieldConfig, rows: number, optimizer: OptimizerName, maxBatch: number): number {
  if (field.dim === 0) return 0;
  if (isMultiSize(field)) return multiSizeTrainingBytes(field, rows, optimizer, maxBatch);
  if ((field.resClusters ?? 0) > 0) return resTrainingBytes(field, rows, optimizer, maxBatch);
  return (field.mletFactor ?? 0) > 0
    ? mletTrainingBytes(field, rows, optimizer, maxBatch)
    : plainTrainingBytes(field, rows, optimizer, maxBatch);
}
