/**
 * The RowSink every reader writes into: interns each field's keys into temporary ids (first-appearance order) and
 * stores them row-major, with the labels, in shared memory that grows in place.
 *
 * This is on the hot path (the target is 300k Criteo lines/s, 39 fields, parsing included), so nothing here allocates
 * per row, and keys are interned a column at a time: row by row, every row would touch all 39 tables and the large ones
 * (high-cardinality fields) would evict each other and the small ones from the cache; column by column, one table is
 * warm for a whole block, read sequentially. Readers of int32 keys hand over whole column-major blocks (`rowsInt32`),
 * which are interned in place and then transposed into the rows; `row()` copies its keys into a block of its own
 * first. A reader's hint of the rows to come (`expectRows`) lets the tables be sized once (see presize).
 *
 * Int32 number keys (hex hashes, indices, buckets: what the fast readers produce) go through an IntTable; strings and
 * other numbers through a Map. Both share the field's id counter, so ids stay in first-appearance order and `"12"` and
 * `12` stay different keys. Final ids (frequency order, minCount, OOV, missing) are assigned afterwards.
 */
import type { Key, RowSink } from './row-sink.js';
import { GrowableShared } from './growable-shared.js';
import { IntTable, MISSING_KEY } from './int-table.js';

export { MISSING_TMP } from './int-table.js';

/** The raw keys of a field's kept values, by final id. */
export interface KeptKeys {
  /** The int32 key of each kept id (meaningless where `others` has an entry). */
  ints: Int32Array;
  /** Keys that are not int32 numbers, by kept id; null when the field had none. */
  others: (string | number | undefined)[] | null;
}

/** One field of the interned rows: what the vocabulary needs, held by the field's table until it is done. */
export interface InternedField {
  /**
   * Occurrences of each temporary id; counts[MISSING_TMP = 0] is the number of missing cells, so the field has
   * counts.length - 1 distinct values. The vocabulary overwrites it with its remap (it is the table's own memory).
   */
  counts: Int32Array;
  /** The keys of the ids whose remap is below `kept`, at their remapped position. */
  keptKeys(remap: Int32Array, kept: number): KeptKeys;
}

/** What the encoder holds once the reader is done. */
export interface InternedRows {
  numRows: number;
  numFields: number;
  /** Row-major temporary ids (numRows × numFields), MISSING_TMP for missing; a view on shared memory. */
  ids: Int32Array;
  labels: Float32Array;
  /** Per field; null once the vocabulary has taken it (so its table can be reclaimed). */
  fields: (InternedField | null)[];
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
  /** Rows the reader expects in all (a hint; 0 = none), and each field's distinct values at the first sample of it. */
  private expectedRows = 0;
  private sample: { rows: number; distinct: Int32Array } | null = null;
  private presized = false;

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
    if (count > stride || keys.length < F * stride)
      throw new Error(`reader passed ${count} rows of stride ${stride} in ${keys.length} keys`);
    if (this.blockRows > 0) this.flush(); // rows passed to row() before these come first
    if (this.numRows + count > this.capacityRows) this.grow(this.numRows + count);
    const out = this.labels;
    for (let r = 0, n = this.numRows; r < count; r++) {
      const label = labels[r];
      if (label > 1) throw new Error(`reader passed label ${label}; labels must be 0 or 1`);
      out[n + r] = label;
    }
    for (let f = 0; f < F; f++) this.tables[f].internColumn(keys, f * stride, count, keys, f * stride, 1);
    transposeInto(keys, stride, count, F, this.ids, this.numRows * F);
    this.numRows += count;
    if (this.numRows >= this.nextProgress) this.progress();
    if (!this.presized && this.expectedRows > 0) this.presize();
  }

  expectRows(rows: number): void {
    if (rows > 0) this.expectedRows = rows;
  }

  /**
   * Sizes each field's table once for the rows to come: from its distinct values at n and at 2n rows, Heaps' law
   * (distinct ∝ rows^β) gives β, and so the distinct values to expect at the end. Click-log columns grow ever slower,
   * so the early β over-estimates a little, which only costs some table room; without it, a 220k-value column's
   * table is rebuilt a dozen times as it grows.
   */
  private presize(): void {
    const rows = this.numRows;
    if (this.sample === null) {
      this.sample = { rows, distinct: Int32Array.from(this.tables, (t) => t.nextId - 1) };
      return;
    }
    if (rows < 2 * this.sample.rows) return;
    this.presized = true;
    const expected = this.expectedRows;
    if (expected < 2 * rows) return; // most of the growth is behind us
    const rowGrowth = Math.log(rows / this.sample.rows);
    this.tables.forEach((table, f) => {
      const before = this.sample!.distinct[f];
      const now = table.nextId - 1;
      if (before === 0 || now <= before) return;
      const beta = Math.min(1, Math.log(now / before) / rowGrowth);
      table.reserve(Math.min(expected, Math.ceil(now * (expected / rows) ** beta)));
    });
  }

  /** Hands over the interned rows; the encoder must not be used afterwards. */
  finish(): InternedRows {
    this.flush();
    if (this.onProgress !== undefined && this.reported !== this.numRows) this.onProgress(this.numRows);
    const fields = this.tables.map((table, f) => internedField(table, this.others[f]));
    // The encoder lets go of its tables: each one lives on only in its field, until the vocabulary is done with it.
    this.tables = [];
    this.others = [];
    return {
      numRows: this.numRows,
      numFields: this.numFields,
      ids: this.idStore.finish(this.numRows * this.numFields),
      labels: this.labelStore.finish(this.numRows),
      fields,
    };
  }

  private progress(): void {
    while (this.nextProgress <= this.numRows) this.nextProgress += this.progressEvery;
    this.reported = this.numRows;
    this.onProgress?.(this.numRows);
  }

  /** Interns row()'s block in place, one field (column) at a time, then stores it row-major. */
  private flush(): void {
    const F = this.numFields;
    const rows = this.blockRows;
    const blockKeys = this.blockKeys;
    for (let f = 0; f < F; f++) {
      const table = this.tables[f];
      const from = f * BLOCK_ROWS;
      if (this.blockHasOthers[f] === 0) {
        table.internColumn(blockKeys, from, rows, blockKeys, from, 1);
        continue;
      }
      // A field mixing int32 keys with others: cell by cell, so ids keep first-appearance order across both kinds.
      for (let q = from; q < from + rows; q++) {
        const other = this.blockOthers[q];
        if (other !== undefined) {
          blockKeys[q] = this.addOther(f, other);
          this.blockOthers[q] = undefined;
        } else {
          blockKeys[q] = table.internKey(blockKeys[q]);
        }
      }
      this.blockHasOthers[f] = 0;
    }
    transposeInto(blockKeys, BLOCK_ROWS, rows, F, this.ids, (this.numRows - rows) * F);
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

function internedField(table: IntTable, others: Map<string | number, number>): InternedField {
  return {
    counts: table.countsView(),
    keptKeys(remap, kept) {
      const ints = table.keptKeys(remap, kept);
      if (others.size === 0) return { ints, others: null };
      const byId = new Array<string | number | undefined>(kept).fill(undefined);
      for (const [key, id] of others) if (remap[id] < kept) byId[remap[id]] = key;
      return { ints, others: byId };
    },
  };
}

/**
 * Writes `count` rows of a column-major block (field f of row r at block[f·stride + r]) row-major into
 * out[at + r·fields + f]. Row by row: the writes are sequential, and the reads are `fields` sequential streams whose
 * current cache lines all stay in L1 (measured faster than transposing tiles of 16 or 64 rows).
 */
function transposeInto(
  block: Int32Array,
  stride: number,
  count: number,
  fields: number,
  out: Int32Array,
  at: number,
): void {
  for (let r = 0, o = at; r < count; r++) {
    for (let f = 0, q = r; f < fields; f++, q += stride) out[o++] = block[q];
  }
}
