/**
 * What a reader hands to the encoder, row by row. Readers parse; they never build vocabularies.
 *
 * A key identifies a field's value: a string, or a number when the reader has a compact encoding that avoids a
 * string allocation (a parsed hex hash, an integer bucket). The encoder treats `"12"` and `12` as different keys, so a
 * reader must use one kind per field. `null` means missing.
 */
export type Key = string | number | null;

export interface RowSink {
  /** One row: its 0/1 label and one key per field (in the reader's field order). `keys` may be reused by the reader. */
  row(label: number, keys: readonly Key[]): void;
  /**
   * Optional fast path for readers whose keys are int32 numbers: `count` rows at once, in order, meaning the same as
   * `count` calls of row(). Column-major: the key of field f in row r is `keys[f · stride + r]`, and INT32_MISSING
   * marks a missing cell (so a reader whose real key is −2³¹ must pass that row through row()). `labels[r]` is 0 or 1.
   * The sink may overwrite `keys` (the encoder interns them in place); the reader may reuse both arrays once the call
   * returns. A reader checks for the method and falls back to row() when a sink does not have it.
   */
  rowsInt32?(labels: Uint8Array, keys: Int32Array, count: number, stride: number): void;
  /**
   * Optional: about how many rows the read will pass in all (e.g. estimated from the file sizes after the first rows),
   * so the sink can size its tables once instead of growing them step by step. Only a hint: a sink must not rely on
   * it being given, being given once, or being right.
   */
  expectRows?(rows: number): void;
}

/** The missing cell of `RowSink.rowsInt32` (−2³¹). */
export const INT32_MISSING = -2147483648;

export interface ReadStats {
  rows: number;
  /** Rows skipped under `onBadRow: skip`. */
  skipped: number;
  /** The first few skipped rows as "file:line: reason", for the report. */
  skippedExamples: string[];
}

/** A reader of one format, already bound to its files and options. */
export interface Reader {
  /** Field names in the order of the keys passed to the sink. */
  readonly fields: readonly string[];
  /** Streams every row into the sink. Throws UsageError naming file and line on bad input (under onBadRow: error). */
  read(sink: RowSink): Promise<ReadStats>;
}
