/**
 * The encoded dataset: the one contract between the data room and the engine.
 *
 * Every field is categorical. Ids of a field are dense from 0 in descending frequency order over the *training* rows
 * (the most frequent value is id 0), so that a "top-k rows" cut or multi-size blocks are prefixes of the id range.
 * After the kept values come two special rows: `oovId` (values rarer than minCount in training, and values never seen
 * in training — in valid or test only) and `missingId` (empty / missing cells). So `rows = kept + 2` and every id is
 * in [0, rows). Nothing about the vocabulary is learnt from the validation or test rows.
 *
 * Rows are stored in split order: train rows first, then valid, then test, so each split is a contiguous range.
 * `ids` is row-major [numRows × numFields] (a row's fields are adjacent, which is what a mini-batch gather reads).
 * Both arrays live on SharedArrayBuffers so worker threads read them without copying: post the object as it is.
 */
export interface EncodedField {
  name: string;
  /** Embedding-table rows this field needs: kept values + OOV row + missing row. */
  rows: number;
  /** Values that met minCount and got their own id (ids 0..kept-1). */
  kept: number;
  oovId: number;
  missingId: number;
  /** Occurrences of each id in the training rows (length = rows), in id order: counts[0] is the largest kept one. */
  counts: Int32Array;
  /** Distinct raw values of the training rows before the minCount cut (cardinality). */
  distinct: number;
  /**
   * Raw value of each kept id, for export and inspection (length = kept). A loaded dataset formats these strings
   * on the first read of the property (most loads never read it); it is an ordinary enumerable, assignable property.
   */
  values: string[];
  /** sha256 of the kept values' raw keys in id order: what the ids mean, known without formatting `values`. */
  keyDigest: string;
}

export interface SplitRange {
  /** First row index (inclusive). */
  start: number;
  /** One past the last row index. */
  end: number;
}

export interface EncodedDataset {
  /** Human-readable origin (file path or "synthetic(seed=…)"), for messages. */
  source: string;
  fields: EncodedField[];
  numRows: number;
  /** Row-major ids, numRows × fields.length, on a SharedArrayBuffer. */
  ids: Int32Array;
  /** 0/1 labels, one per row, on a SharedArrayBuffer. */
  labels: Float32Array;
  splits: { train: SplitRange; valid: SplitRange; test: SplitRange };
}

/** Allocates an Int32Array on a SharedArrayBuffer (so worker threads can read it without a copy). */
export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

/** Allocates a Float32Array on a SharedArrayBuffer. */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}
