/**
 * The RowSink every reader writes into: interns each field's keys into temporary ids (first-appearance order) and
 * stores them row-major, with the labels, in shared memory that grows in place.
 *
 * This is on the hot path (the target is 300k Criteo lines/s, 39 fields, parsing included), so nothing here allocates
 * per row, and keys are interned a column at a time: row by row, every row would touch all 39 tables and the large ones
 * (high-cardinality fields) would evict each other and the small ones from the cache; column by column, one table is
 * warm for a whole block, and the block (~160 KiB) is read sequentially from cache. Readers of int32 keys hand over
 * whole column-major blocks (`rowsInt32`), which are interned where they lie; `row()` copies its keys into a block of
 * its own first.
 *
 * Int32 number keys (hex hashes, indices, buckets: what the fast readers produce) go through an IntTable; strings and
 * other numbers through a Map. Both share the field's id counter, so ids stay in first-appearance order and `"12"` and
 * `12` stay different keys. Final ids (frequency order, minCount, OOV, missing) are assigned afterwards.
 */
import type { Key, RowSink } from './row-sink.js';
import { GrowableShared } from './growable-shared.js';
import { IntTable, MISSING_KEY, MISSING_TMP } from './int-table.js';

export { MISSING_TMP } from './int-table.js';

/** The raw keys of one field's temporary ids. */
export interface FieldKeys {
  /** The int32 key of each temporary id (meaningless for the ids listed in `others`). */
  ints: Int32Array;
  /** Keys that are not int32 numbers, by temporary id; null when the field had none. */
  others: (string | number | undefined)[] | null;
}

/** What the encoder holds once the reader is done. */
export interface InternedRows {
  numRows: number;
  numFields: number;
  /** Row-major temporary ids (numRows × numFields), -1 for missing; a view on shared memory. */
  ids: Int32Array;
  labels: Float32Array;
  /** Per field: occurrences of each temporary id (length = distinct values). */
  counts: Int32Array[];
  /** Per field: the raw key of each temporary id. */
  keys: FieldKeys[];
  /** Per field: number of missing cells. */
  missing: Int32Array;
}

export interface EncoderOptions {
  /** Called about every `progressEvery` rows with the rows read so far. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
  /** Rows to commit up front (a hint; the arrays grow as needed). */
  initialRows?: number;
}

/** Rows buffered by row() before they are interned field by field. */
const BLOCK_ROWS = 1024;

export class Encoder implements RowSink {
  numRows = 0;
  private capacityRows: number;
  private readonly idStore: GrowableShared<Int32Array>;
  private readonly labelStore: GrowableShared<Float32Array>;
  private ids: Int32Array;
  private labels: Float32Array;
  /**
   * row()'s block, column-major (field f's cells at f·BLOCK_ROWS + row), so interning reads each column
   * sequentially: int32 keys (MISSING_KEY = missing) and, apart, the keys that are not int32 numbers.
   */
  private readonly blockKeys: Int32Array;
  private readonly blockOthers: (string | number | undefined)[];
  private blockRows = 0;
  /** Per field: whether the current block holds keys that are not int32 numbers (the slow path). */
  private readonly blockHasOthers: Uint8Array;
  private tables: IntTable[] = [];
  /** Per field: ids of the keys that are not int32 numbers (their counts are kept by the field's table). */
  private others: Map<string | number, number>[] = [];
  private readonly onProgress?: (rows: number) => void;
  private readonly progressEvery: number;
  private nextProgress: number;
  private reported = -1;

  constructor(
    readonly numFields: number,
    opts: EncoderOptions = {},
  ) {
    const initialRows = Math.max(BLOCK_ROWS, opts.initialRows ?? 65_536);
    this.idStore = new GrowableShared(Int32Array, initialRows * numFields, 'encoded ids');
    this.labelStore = new GrowableShared(Float32Array, initialRows, 'labels');
    this.ids = this.idStore.view;
    this.labels = this.labelStore.view;
    this.capacityRows = this.capacityOf();
    this.blockKeys = new Int32Array(BLOCK_ROWS * numFields);
    this.blockOthers = new Array<string | number | undefined>(BLOCK_ROWS * numFields).fill(undefined);
    this.blockHasOthers = new Uint8Array(numFields);
    for (let f = 0; f < numFields; f++) {
      this.tables.push(new IntTable());
      this.others.push(new Map());
    }
    this.onProgress = opts.onProgress;
    this.progressEvery = Math.max(1, opts.progressEvery ?? 65_536);
    this.nextProgress = this.progressEvery;
  }

  row(label: number, keys: readonly Key[]): void {
    const F = this.numFields;
    if (keys.length !== F) throw new Error(`reader passed ${keys.length} keys for ${F} fields`);
    if (label !== 0 && label !== 1) throw new Error(`reader passed label ${label}; labels must be 0 or 1`);
    if (this.numRows === this.capacityRows) this.grow(this.numRows + 1);
    const blockKeys = this.blockKeys;
    for (let f = 0, q = this.blockRows; f < F; f++, q += BLOCK_ROWS) {
      const k = keys[f];
      if (typeof k === 'number' && (k | 0) === k && k !== MISSING_KEY) {
        blockKeys[q] = k;
      } else if (k === null) {
        blockKeys[q] = MISSING_KEY;
      } else {
        this.blockOthers[q] = k;
        this.blockHasOthers[f] = 1;
      }
    }
    this.labels[this.numRows++] = label;
    if (++this.blockRows === BLOCK_ROWS) this.flush();
    if (this.numRows >= this.nextProgress) this.progress();
  }

  rowsInt32(labels: Uint8Array, keys: Int32Array, count: number, stride: number): void {
    const F = this.numFields;
    if (count > stride || keys.length < F * stride) throw new Error(`reader passed ${count} rows of stride ${stride} in ${keys.length} keys`);
    if (this.blockRows > 0) this.flush(); // rows passed to row() before these come first
    if (this.numRows + count > this.capacityRows) this.grow(this.numRows + count);
    const out = this.labels;
    for (let r = 0, n = this.numRows; r < count; r++) {
      const label = labels[r];
      if (label > 1) throw new Error(`reader passed label ${label}; labels must be 0 or 1`);
      out[n + r] = label;
    }
    const base = this.numRows * F;
    for (let f = 0; f < F; f++) this.tables[f].internColumn(keys, f * stride, count, this.ids, base + f, F);
    this.numRows += count;
    if (this.numRows >= this.nextProgress) this.progress();
  }

  /** Hands over the interned rows; the encoder must not be used afterwards. */
  finish(): InternedRows {
    this.flush();
    if (this.onProgress !== undefined && this.reported !== this.numRows) this.onProgress(this.numRows);
    const counts: Int32Array[] = [];
    const keys: FieldKeys[] = [];
    const missing = new Int32Array(this.numFields);
    for (let f = 0; f < this.numFields; f++) {
      const table = this.tables[f];
      counts.push(table.exportCounts());
      let others: (string | number | undefined)[] | null = null;
      if (this.others[f].size > 0) {
        others = new Array<string | number | undefined>(table.nextId).fill(undefined);
        for (const [key, id] of this.others[f]) others[id] = key;
      }
      keys.push({ ints: table.exportKeys(), others });
      missing[f] = table.missing;
      // The tables are the largest thing after the rows (MiBs for high-cardinality fields): let each go as soon as it
      // is exported, so its memory can be reclaimed before the vocabulary allocates its own arrays.
      this.tables[f] = undefined as unknown as IntTable;
      this.others[f] = undefined as unknown as Map<string | number, number>;
    }
    this.tables = [];
    this.others = [];
    return {
      numRows: this.numRows,
      numFields: this.numFields,
      ids: this.idStore.finish(this.numRows * this.numFields),
      labels: this.labelStore.finish(this.numRows),
      counts,
      keys,
      missing,
    };
  }

  private progress(): void {
    while (this.nextProgress <= this.numRows) this.nextProgress += this.progressEvery;
    this.reported = this.numRows;
    this.onProgress?.(this.numRows);
  }

  /** Interns row()'s block, one field (column) at a time. */
  private flush(): void {
    const F = this.numFields;
    const rows = this.blockRows;
    const base = (this.numRows - rows) * F;
    for (let f = 0; f < F; f++) {
      const table = this.tables[f];
      const from = f * BLOCK_ROWS;
      if (this.blockHasOthers[f] === 0) {
        table.internColumn(this.blockKeys, from, rows, this.ids, base + f, F);
        continue;
      }
      // A field mixing int32 keys with others: cell by cell, so ids keep first-appearance order across both kinds.
      for (let r = 0; r < rows; r++) {
        const q = from + r;
        const other = this.blockOthers[q];
        let id: number;
        if (other !== undefined) {
          id = this.addOther(f, other);
          this.blockOthers[q] = undefined;
        } else if (this.blockKeys[q] === MISSING_KEY) {
          id = MISSING_TMP;
          table.countMissing();
        } else {
          id = table.internKey(this.blockKeys[q]);
        }
        this.ids[base + r * F + f] = id;
      }
      this.blockHasOthers[f] = 0;
    }
    this.blockRows = 0;
  }

  private addOther(f: number, k: string | number): number {
    const table = this.tables[f];
    let t = this.others[f].get(k);
    if (t === undefined) {
      t = table.newId();
      this.others[f].set(k, t);
    }
    table.countOther(t);
    return t;
  }

  private capacityOf(): number {
    return Math.min(this.labels.length, Math.floor(this.ids.length / Math.max(1, this.numFields)));
  }

  private grow(minRows: number): void {
    const rows = Math.max(minRows, Math.ceil(this.capacityRows * 1.5));
    this.ids = this.idStore.ensure(rows * this.numFields);
    this.labels = this.labelStore.ensure(rows);
    this.capacityRows = this.capacityOf();
  }
}
