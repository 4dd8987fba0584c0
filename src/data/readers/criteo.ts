/**
 * Criteo click logs: `label \t I1..I13 \t C1..C26`, an empty cell is missing.
 *
 * Lines are parsed straight from the Buffer bytes, without building strings: integer cells become their log2 bucket
 * and hex ids their exact numeric form, both as number keys. Only a malformed line takes the slow path, which decodes
 * it to find the problem's words.
 */
import type { DataSpec } from '../../space/data-schema.js';
import { INT32_MISSING, type Key, type ReadStats, type Reader, type RowSink } from '../row-sink.js';
import { BadRows, describeFiles, shown } from './bad-rows.js';
import { HEX_DIGIT, MAX_HEX_DIGITS, NEGATIVE_BUCKET, hexKey, hexKeyOf, log2Bucket } from './buckets.js';
import { selectFields } from './fields.js';
import { forEachLine, type InputFile } from './line-source.js';

const INTEGER_COLUMNS = 13;
const CATEGORICAL_COLUMNS = 26;
/** Label + integers + categoricals. */
const COLUMNS = 1 + INTEGER_COLUMNS + CATEGORICAL_COLUMNS;
const TAB = 9;
const MINUS = 45;

export const CRITEO_FIELDS: readonly string[] = [
  ...Array.from({ length: INTEGER_COLUMNS }, (_, i) => `I${i + 1}`),
  ...Array.from({ length: CATEGORICAL_COLUMNS }, (_, i) => `C${i + 1}`),
];

export function criteoReader(files: readonly InputFile[], spec: DataSpec): Reader {
  const chosen = selectFields(spec.fields, CRITEO_FIELDS, 'fields of format criteo');
  // slots[column] = position of that column's key in the row, or -1 when the column is not read.
  const slots = new Int32Array(COLUMNS).fill(-1);
  chosen.forEach((field, position) => (slots[field + 1] = position));
  return {
    fields: chosen.map((i) => CRITEO_FIELDS[i]),
    read: (sink) => readCriteo(files, slots, chosen.length, spec.onBadRow ?? 'error', sink),
  };
}

/** Rows parsed into one block for the sink's batch path (about 160 KiB of keys for 39 fields: stays in cache). */
const BATCH_ROWS = 1024;
/** Bit of parseLine's result: the line has a key that is not an int32 (it went to `wide`). */
const WIDE = 2;

async function readCriteo(
  files: readonly InputFile[],
  slots: Int32Array,
  width: number,
  policy: 'error' | 'skip',
  sink: RowSink,
): Promise<ReadStats> {
  const bad = new BadRows(policy);
  // Lines are parsed straight into a column-major block of int32 keys, which a sink with the batch path interns where
  // it lies (no per-row call, no key array); other sinks, and the rare line with a key that is not an int32, get row().
  const batched = sink.rowsInt32 !== undefined;
  const stride = batched ? BATCH_ROWS : 1;
  const at = Int32Array.from(slots, (slot) => (slot < 0 ? -1 : slot * stride));
  const ints = new Int32Array(width * stride);
  const labels = new Uint8Array(stride);
  const wide = new Float64Array(width).fill(NaN);
  const keys: Key[] = new Array<Key>(width).fill(null);
  let count = 0;
  let rows = 0;
  for (const file of files) {
    await forEachLine(file, (buf, start, end, line) => {
      const parsed = parseLine(buf, start, end, at, ints, stride, count, wide);
      if (parsed < 0) {
        wide.fill(NaN);
        const [what, fix] = diagnose(buf.toString('utf8', start, end), slots);
        bad.report(file, line, what, fix);
        return;
      }
      rows++;
      if (batched && parsed < WIDE) {
        labels[count] = parsed;
        if (++count === BATCH_ROWS) {
          sink.rowsInt32!(labels, ints, count, stride);
          count = 0;
        }
        return;
      }
      for (let slot = 0; slot < width; slot++) {
        const w = wide[slot];
        if (w === w) {
          keys[slot] = w;
          wide[slot] = NaN;
        } else {
          const k = ints[slot * stride + count];
          keys[slot] = k === INT32_MISSING ? null : k;
        }
      }
      if (count > 0) {
        sink.rowsInt32!(labels, ints, count, stride); // the rows before this one go first
        count = 0;
      }
      sink.row(parsed & 1, keys);
    });
  }
  if (count > 0) sink.rowsInt32!(labels, ints, count, stride);
  return bad.finish(rows, describeFiles(files));
}

/**
 * Parses one line into column `row` of the block `keys` (key of a field at `slot · stride + row`, at[column] = slot · stride; INT32_MISSING for an empty cell) and
 * returns its label, plus WIDE when a key is not an int32 — an id of other than 8 hex digits, or one whose key is
 * INT32_MISSING itself — and was put in `wide` (by field) instead; -1 when the line is malformed (the block and `wide`
 * then hold garbage). Integer and hex columns run in two separate loops: fewer branches per cell, which the hot path
 * feels.
 */
function parseLine(
  buf: Buffer,
  start: number,
  end: number,
  at: Int32Array,
  keys: Int32Array,
  stride: number,
  row: number,
  wide: Float64Array,
): number {
  const first = buf[start];
  if ((first !== 48 && first !== 49) || start + 1 >= end || buf[start + 1] !== TAB) return -1;
  let flags = first - 48;
  let p = start + 2;
  for (let column = 1; column <= INTEGER_COLUMNS; column++) {
    const o = at[column];
    if (o < 0) {
      while (p < end && buf[p] !== TAB) p++;
    } else if (p === end || buf[p] === TAB) {
      keys[o + row] = INT32_MISSING;
    } else {
      const negative = buf[p] === MINUS;
      if (negative) p++;
      let value = 0;
      const digitsFrom = p;
      while (p < end) {
        const d = buf[p] - 48;
        if (d < 0 || d > 9) break;
        value = value * 10 + d;
        p++;
      }
      if (p === digitsFrom || (p < end && buf[p] !== TAB)) return -1;
      const bucket = negative && value !== 0 ? NEGATIVE_BUCKET : log2Bucket(value);
      if ((bucket | 0) === bucket) keys[o + row] = bucket;
      else {
        wide[o / stride] = bucket;
        flags |= WIDE;
      }
    }
    if (p === end) return -1; // too few columns
    p++; // the tab
  }
  for (let column = INTEGER_COLUMNS + 1; column < COLUMNS; column++) {
    const o = at[column];
    if (o < 0) {
      while (p < end && buf[p] !== TAB) p++;
    } else {
      let value = 0;
      const digitsFrom = p;
      while (p < end) {
        const b = buf[p];
        if (b === TAB) break;
        const d = HEX_DIGIT[b];
        if (d < 0) return -1;
        value = value * 16 + d;
        p++;
      }
      const digits = p - digitsFrom;
      if (digits === 8 && value !== 0x80000000) keys[o + row] = value | 0;
      else if (digits === 0) keys[o + row] = INT32_MISSING;
      else if (digits > MAX_HEX_DIGITS) return -1;
      else {
        wide[o / stride] = hexKeyOf(value, digits);
        flags |= WIDE;
      }
    }
    if (column < COLUMNS - 1) {
      if (p === end) return -1; // too few columns
      p++;
    } else if (p !== end) {
      return -1; // too many columns
    }
  }
  return flags;
}

/** Why `parseLine` refused a line: [what is wrong, what to do]. Only columns that are read are checked. */
function diagnose(text: string, slots: Int32Array): [string, string] {
  const cells = text.split('\t');
  if (cells.length !== COLUMNS) {
    return [
      `expected ${COLUMNS} tab-separated columns (label, I1..I13, C1..C26), found ${cells.length}`,
      'check that the file is in Criteo format',
    ];
  }
  const label = cells[0];
  if (label !== '0' && label !== '1') {
    const what = label.trim() === '' || Number.isNaN(Number(label)) ? 'is not a number' : 'is not 0 or 1';
    return [`label ${shown(label)} ${what}`, 'the first column must be the 0/1 click label'];
  }
  for (let column = 1; column < COLUMNS; column++) {
    const cell = cells[column];
    if (slots[column] < 0 || cell === '') continue;
    const name = CRITEO_FIELDS[column - 1];
    if (column <= INTEGER_COLUMNS && !/^-?\d+$/.test(cell)) {
      return [`${name} value ${shown(cell)} is not an integer`, `${name} must be empty or an integer`];
    }
    if (column > INTEGER_COLUMNS && hexKey(cell) === null) {
      return [
        `${name} value ${shown(cell)} is not a hex id of at most ${MAX_HEX_DIGITS} digits`,
        'Criteo categorical cells are hex hashes; read other categorical data with format csv',
      ];
    }
  }
  throw new Error(`criteo: a line was refused but no problem was found in it: ${shown(text)}`);
}
