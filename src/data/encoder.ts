/**
 * The RowSink every reader writes into: interns each field's keys into temporary ids (first-appearance order) and
 * stores them row-major, with the labels, in shared memory that grows in place.
 *
 * This is on the hot path (the target is 300k Criteo lines/s, 39 fields, parsing included), so `row()` allocates
 * nothing: it copies the keys into a block buffer, and each full block is interned one field at a time. Row by row,
 * every row would touch all 39 tables and the large ones (high-cardinality fields) would evict each other and the
 * small ones from the cache; field by field, one table is warm for a whole block, and the block (~200 KiB) is read
 * sequentially from cache.
 *
 * Int32 number keys (hex hashes, indices, buckets: what the fast readers produce) go through an IntTable; strings and
 * other numbers through a Map. Both share the field's id counter, so ids stay in first-appearance order and `"12"` and
 * `12` stay different keys. Final ids (frequency order, minCount, OOV, missing) are assigned afterwards.
 */
import type { Key, RowSink } from './row-sink.js';
import { GrowableShared } from './growable-shared.js';
import { CELL_INT, CELL_MISSING, CELL_OTHER, IntTable } from './int-table.js';

export { MISSING_TMP } from './int-table.js';

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
  keys: (string | number)[][];
  /** Per field: number of missing cells. */
  missing: Int32Array;
}

export interface EncoderOptions {
  /** Called every `progressEvery` rows with the rows read so far. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
  /** Rows to commit up front (a hint; the arrays grow as needed). */
  initialRows?: number;
}

/** Rows buffered before they are interned field by field. */
const BLOCK_ROWS = 1024;

export class Encoder implements RowSink {
  numRows = 0;
  private capacityRows: number;
  private readonly idStore: GrowableShared<Int32Array>;
  private readonly labelStore: GrowableShared<Float32Array>;
  private ids: Int32Array;
  private labels: Float32Array;
  /**
   * The current block, column-major (field f's cells at f·BLOCK_ROWS + row), so interning reads each column
   * sequentially: int32 keys, each cell's kind, and the keys that are not int32 numbers.
   */
  private readonly blockKeys: Int32Array;
  private readonly blockKinds: Uint8Array;
  private readonly blockOthers: (string | number | undefined)[];
  private blockRows = 0;
  /** Per field: whether the current block holds keys that are not int32 numbers (the slow path). */
  private readonly blockHasOthers: Uint8Array;
  private tables: IntTable[] = [];
  /** Per field: ids of the keys that are not int32 numbers (their counts are kept by the field's table). */
  private others: Map<string | number, number>[] = [];
  private readonly onProgress?: (rows: number) => void;
  private readonly progressEvery: number;

  constructor(
    readonly numFields: number,
    opts: EncoderOptions = {},
  ) {
    const initialRows = Math.max(BLOCK_ROWS, opts.initialRows ?? 65_536);
    this.idStore = new GrowableShared(Int32Array, initialRows * numFields, 'encoded ids');
    this.labelStore = new GrowableShared(Float32Array, initialRows, 'labels');
    this.ids = this.idStore.view;
    this.labels = this.labelStore.view;
    this.capacityRows = Math.min(this.labels.length, Math.floor(this.ids.length / Math.max(1, numFields)));
    this.blockKeys = new Int32Array(BLOCK_ROWS * numFields);
    this.blockKinds = new Uint8Array(BLOCK_ROWS * numFields);
    this.blockOthers = new Array<string | number | undefined>(BLOCK_ROWS * numFields).fill(undefined);
    this.blockHasOthers = new Uint8Array(numFields);
    for (let f = 0; f < numFields; f++) {
      this.tables.push(new IntTable());
      this.others.push(new Map());
    }
    this.onProgress = opts.onProgress;
    this.progressEvery = Math.max(1, opts.progressEvery ?? 65_536);
  }

  row(label: number, keys: readonly Key[]): void {
    const F = this.numFields;
    if (keys.length !== F) throw new Error(`reader passed ${keys.length} keys for ${F} fields`);
    if (label !== 0 && label !== 1) throw new Error(`reader passed label ${label}; labels must be 0 or 1`);
    if (this.numRows === this.capacityRows) this.grow();
    const blockKeys = this.blockKeys;
    const blockKinds = this.blockKinds;
    for (let f = 0, q = this.blockRows; f < F; f++, q += BLOCK_ROWS) {
      const k = keys[f];
      if (typeof k === 'number' && (k | 0) === k) {
        blockKeys[q] = k;
        blockKinds[q] = CELL_INT;
      } else if (k === null) {
        blockKinds[q] = CELL_MISSING;
      } else {
        this.blockOthers[q] = k;
        blockKinds[q] = CELL_OTHER;
        this.blockHasOthers[f] = 1;
      }
    }
    this.labels[this.numRows++] = label;
    if (++this.blockRows === BLOCK_ROWS) this.flush();
    if (this.onProgress !== undefined && this.numRows % this.progressEvery === 0) this.onProgress(this.numRows);
  }

  /** Hands over the interned rows; the encoder must not be used afterwards. */
  finish(): InternedRows {
    this.flush();
    if (this.onProgress !== undefined && this.numRows % this.progressEvery !== 0) this.onProgress(this.numRows);
    const counts: Int32Array[] = [];
    const keys: (string | number)[][] = [];
    const missing = new Int32Array(this.numFields);
    for (let f = 0; f < this.numFields; f++) {
      const table = this.tables[f];
      const c = new Int32Array(table.nextId);
      const k = new Array<string | number>(table.nextId);
      table.export(c, k);
      for (const [key, id] of this.others[f]) k[id] = key;
      counts.push(c);
      keys.push(k);
      missing[f] = table.missing;
    }
    // The tables are the largest thing after the rows (tens of MiB for high-cardinality fields): drop them now, so
    // the memory can be reclaimed before the vocabulary allocates its own arrays.
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

  /** Interns the buffered block, one field (column) at a time. */
  private flush(): void {
    const F = this.numFields;
    const rows = this.blockRows;
    const base = (this.numRows - rows) * F;
    for (let f = 0; f < F; f++) {
      const table = this.tables[f];
      const from = f * BLOCK_ROWS;
      if (this.blockHasOthers[f] === 0) {
        table.internColumn(this.blockKeys, this.blockKinds, from, rows, this.ids, base + f, F);
        continue;
      }
      // A field mixing int32 keys with others: cell by cell, so ids keep first-appearance order across both kinds.
      for (let r = 0; r < rows; r++) {
        const q = from + r;
        if (this.blockKinds[q] !== CELL_OTHER) {
          table.internColumn(this.blockKeys, this.blockKinds, q, 1, this.ids, base + r * F + f, F);
        } else {
          this.ids[base + r * F + f] = this.addOther(f, this.blockOthers[q]!);
          this.blockOthers[q] = undefined;
        }
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

  private grow(): void {
    const rows = Math.ceil(this.capacityRows * 1.5);
    this.ids = this.idStore.ensure(rows * this.numFields);
    this.labels = this.labelStore.ensure(rows);
    this.capacityRows = Math.min(this.labels.length, Math.floor(this.ids.length / Math.max(1, this.numFields)));
  }
}
