/**
 * The saved model of a retrained trial: a folder that PyTorch, numpy or any other code can load without embnas.
 *
 *   model.json     what the model is: features (table sizes, special ids, vocabulary file), tower layers, the tensor
 *                  directory, the trial's config and its test metrics (format 'embnas.model/2')
 *   weights.bin    every tensor as float32 little-endian, concatenated at the byte offsets model.json lists
 *   vocab/<f>.txt  per kept feature, one value per line in id order (line i = id i)
 *
 * A dropped feature (dim 0) is listed in model.json (so an id row still has one id per dataset field) but has no
 * table and no vocabulary file. A feature trained as MLET factors (mletFactor > 0) is saved as its collapsed rows × dim
 * table (the engine's ModelWeights already hold A·B multiplied out), and so is a Res-embedding feature (C[cluster] + R).
 * A multi-size feature (NIS blocks, vocabulary cut) keeps its blocks, which is what makes it small: `blocks` lists
 * each block with rows (an id range, its dim, its table and, below the feature's dim, its projection), `tensor` is
 * null, and an id no block covers reads the OOV row. Version 2 added `blocks`; version-1 folders still load.
 * docs/export.md documents every key. This file holds the format's types; write.ts writes a folder, load.ts reads it
 * back and holds `predict`, the reference forward pass.
 */
import type { EncodedField } from '../../data/encoded-dataset.js';
import type { ModelWeights } from '../../engine/model.js';
import type { TrialConfig } from '../../engine/trial-config.js';

export const SAVED_MODEL_FORMAT = 'embnas.model/2';
/** Older formats this version still reads (a subset of the current one). */
export const READABLE_FORMATS: readonly string[] = ['embnas.model/1', SAVED_MODEL_FORMAT];

/** One block of a multi-size feature: ids [start, end) read row (id − start) of `tensor` (times `projection`). */
export interface SavedBlock {
  start: number;
  end: number;
  dim: number;
  /** (end − start) × dim. */
  tensor: string;
  /** dim × the feature's dim; null when the block has the feature's dim. */
  projection: string | null;
}

/** What a vocabulary line holds: the value as it appears in the data, or the log2 bucket of a numeric column. */
export type VocabKind = 'value' | 'log2-bucket';

export interface SavedFeature {
  name: string;
  rows: number;
  kept: number;
  dim: number;
  oovId: number;
  missingId: number;
  /** Name of the table tensor (rows × dim); null for a dropped feature and for one with blocks. */
  tensor: string | null;
  /** Only for a multi-size feature: its blocks with rows, in id order. */
  blocks?: SavedBlock[];
  /** Path of the vocabulary file inside the model folder; null for a dropped feature. */
  vocabFile: string | null;
  vocabKind: VocabKind;
}

export interface SavedLayer {
  in: number;
  out: number;
  activation: 'relu' | 'linear';
  /** Tensor names: kernel in × out, bias out. */
  kernel: string;
  bias: string;
}

export interface SavedTensor {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Byte offset in weights.bin. */
  offset: number;
  /** Bytes: 4 · Π shape. */
  length: number;
}

export interface SavedModelMeta {
  format: string;
  search: { id: number; name: string; spaceHash: string };
  trial: number;
  config: TrialConfig;
  features: SavedFeature[];
  tower: SavedLayer[];
  tensors: SavedTensor[];
  metrics: { testAuc: number; testLogloss: number; testRows: number; searchValidAuc: number | null };
  training: { splits: string[]; rows: number; epochs: number; backend: string };
}

export interface SavedModelInput {
  search: SavedModelMeta['search'];
  trial: number;
  config: TrialConfig;
  /** The dataset's fields, in order. */
  fields: readonly EncodedField[];
  /** Per field: its vocabulary lines (default: the field's values) and their kind (default 'value'). */
  vocab?: readonly { values: readonly string[]; kind: VocabKind }[];
  weights: ModelWeights;
  metrics: SavedModelMeta['metrics'];
  training: SavedModelMeta['training'];
}

export interface SavedModel {
  dir: string;
  meta: SavedModelMeta;
  /** Tensor name → values (row-major). */
  tensors: Map<string, Float32Array>;
  /** Feature name → vocabulary lines, for kept features. */
  vocab: Map<string, string[]>;
}
