/**
 * A trial: one candidate model, fully described by a plain object (rebuildable from JSON, stored as-is).
 */
export interface FieldConfig {
  /** Must match the dataset's field name at the same position. */
  name: string;
  /** Embedding size; 0 drops the field. */
  dim: number;
  /** α of the adaptive per-row decay λ = min(1, α·Δ), Δ = steps since the row was last updated; 0 disables it. */
  normAlpha: number;
  /** Optional hard cap on each row's L2 norm (of the effective row A[i]·B for an MLET field). */
  maxNorm?: number;
  /**
   * MLET (arXiv 2309.15881): train the table as A (rows × k) · B (k × dim) with k = mletFactor · dim; inference uses
   * the collapsed rows × dim product. 0 or absent = a plain table.
   */
  mletFactor?: number;
  /**
   * NIS multi-size embedding: the kept values, in frequency order, split into blocks by `fractions` (summing to 1),
   * block b with its own dim `dims[b]` (dims[0] = dim; a smaller dim is projected up to dim; 0 = those values read
   * the OOV row). Absent = one table. See block-layout.ts.
   */
  blocks?: { fractions: number[]; dims: number[] };
  /** Vocabulary cut: the fraction (0, 1] of the kept values, most frequent first, that keep a row; the rest read the OOV row. */
  keep?: number;
  /**
   * Res-embedding: row v is C[cluster(v)] + R[v], with k = resClusters clusters of the field's values by co-occurrence
   * on the training rows (res-clusters.ts); inference uses the collapsed rows × dim table. 0 or absent = off.
   * maxNorm then caps the central rows C, not the sum.
   */
  resClusters?: number;
  /** α of the residual rows' own decay λ = min(1, α·Δ) (default 1e-4); used only when resClusters > 0. */
  resAlpha?: number;
}

export type OptimizerName = 'adam' | 'adagrad';
export type BackendName = 'native' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Every backend, in the order `auto` tries them. */
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface TrialConfig {
  fields: FieldConfig[];
  /** Hidden layer sizes of the dense tower (ReLU); may be empty (a logistic model over the embeddings). */
  tower: number[];
  optimizer: OptimizerName;
  lr: number;
  batchSize: number;
  /** Maximum epochs; training stops earlier when validation AUC has not improved for `patience` epochs. */
  epochs: number;
  patience: number;
  /** Training seed (initialisation and shuffling). */
  seed: number;
}

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  validAuc: number;
  validLogloss: number;
  seconds: number;
}

export interface TrialResult {
  epochs: EpochMetrics[];
  /** Index into `epochs` of the best validation AUC. */
  bestEpoch: number;
  validAuc: number;
  validLogloss: number;
  rowsTrained: number;
  wallSeconds: number;
  rowsPerSec: number;
  backend: BackendName;
  /** Bytes of the inference model: Σ rows_f·dim_f·4 + tower parameters·4. */
  inferenceBytes: number;
  /** Bytes while training (adds optimizer state). */
  trainingBytes: number;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  rowsPerSec: number;
  loss: number;
}
