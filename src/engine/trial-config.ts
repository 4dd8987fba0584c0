/**
 * A trial: one candidate model, fully described by a plain object (rebuildable from JSON, stored as-is).
 */
import type { TechniqueConfig } from '../techniques/index.js';

/** Every field's settings, whatever its embedding technique. */
export interface FieldBase {
  /** Must match the dataset's field name at the same position. */
  name: string;
  /** Embedding size; 0 drops the field. */
  dim: number;
  /** α of the adaptive per-row decay λ = min(1, α·Δ), Δ = steps since the row was last updated; 0 disables it. */
  normAlpha: number;
  /** Optional hard cap on each row's L2 norm (of the effective row: see each technique). */
  maxNorm?: number;
}

/**
 * One field of a trial: its base settings and, each optional, every embedding technique's keys (MLET's `mletFactor`,
 * Res-embedding's `resClusters` and `resAlpha`, multi-size's `keep` and `blocks`: their meaning and schema are in
 * their descriptors, src/techniques/, `configKeys`).
 */
export type FieldConfig = FieldBase & TechniqueConfig;

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
