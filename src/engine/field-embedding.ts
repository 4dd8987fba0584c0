/**
 * The embedding of one kept field, as the model sees it: ids in, rows × dim vectors out, whatever parameters sit
 * behind them. A plain table (plain-embedding.ts) stores the rows themselves; MLET (mlet-embedding.ts) trains them
 * as a product A·B; Res-embedding (res-embedding.ts) as a cluster centre plus a residual; multi-size blocks
 * (multi-size-embedding.ts) as a wide table for frequent values and narrow ones for the rest. Each is one entry of
 * technique-engines.ts, and embedding-techniques.ts picks the implementation a field's config asks for; the model,
 * the memory estimate and the export only talk to this interface.
 *
 * Inference always uses a plain rows × dim table (`collapse()`), so the inference footprint and the saved-model
 * format do not depend on how a field was trained.
 */
import type { OptimizerName } from './trial-config.js';

export interface FieldEmbedding {
  /** Which implementation it is ('plain', 'mlet', 'res', 'blocks', …), for messages and tests. */
  readonly kind: string;
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
