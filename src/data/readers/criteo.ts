/**
 * Criteo click logs: `label \t I1..I13 \t C1..C26`, an empty cell is missing.
 *
 * Lines are parsed straight from the Buffer bytes, without building strings: integer cells become their log2 bucket
 * and hex ids their exact numeric form, both as number keys. Only a malformed line takes the slow path, which decodes
 * it to find the problem's words.
 */
import type { DataSpec } from '../../space/data-schema.js';
import type { Key, ReadStats, Reader, RowSink } from '../row-sink.js';
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

async function readCriteo(
  files: readonly InputFile[],
  slots: Int32Array,
  width: number,
  policy: 'error' | 'skip',
  sink: RowSink,
): Promise<ReadStats> {
  const bad = new BadRows(policy);
  const keys: Key[] = new Array<Key>(width).fill(null);
  let rows = 0;
  for (const file of files) {
    await forEachLine(file, (buf, start, end, line) => {
      const label = parseLine(buf, start, end, slots, keys);
      if (label < 0) {
        const [what, fix] = diagnose(buf.toString('utf8', start, end), slots);
        bad.report(file, line, what, fix);
        return;
      }
      sink.row(label, keys);
      rows++;
    });
  }
  return bad.finish(rows, describeFiles(files));
}

/**
 * Fills `keys` from one line and returns its label, or -1 when the line is malformed (then `keys` is garbage).
 * Integer and hex columns run in two separate loops: fewer branches per cell, which the hot path feels.
 */
function parseLine(buf: Buffer, start: number, end: number, slots: Int32Array, keys: Key[]): number {
  const first = buf[start];
  if ((first !== 48 && first !== 49) || start + 1 >= end || buf[start + 1] !== TAB) return -1;
  let p = start + 2;
  for (let column = 1; column <= INTEGER_COLUMNS; column++) {
    const slot = slots[column];
    if (slot < 0) {
      while (p < end && buf[p] !== TAB) p++;
    } else if (p === end || buf[p] === TAB) {
      keys[slot] = null;
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
      keys[slot] = negative && value !== 0 ? NEGATIVE_BUCKET : log2Bucket(value);
    }
    if (p === end) return -1; // too few columns
    p++; // the tab
  }
  for (let column = INTEGER_COLUMNS + 1; column < COLUMNS; column++) {
    const slot = slots[column];
    if (slot < 0) {
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
      if (digits > MAX_HEX_DIGITS) return -1;
      keys[slot] = digits === 0 ? null : hexKeyOf(value, digits);
    }
    if (column < COLUMNS - 1) {
      if (p === end) return -1; // too few columns
      p++;
    } else if (p !== end) {
      return -1; // too many columns
    }
  }
  return first - 48;
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
