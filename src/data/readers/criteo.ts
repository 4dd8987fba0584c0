/**
 * Criteo click logs: `label \t I1..I13 \t C1..C26`, an empty cell is missing.
 *
 * Lines are parsed from the bytes (criteo-parse.ts): integer cells become their log2 bucket and hex ids their exact
 * numeric form, both as number keys. Only a malformed line takes the slow path, which decodes it to find the
 * problem's words.
 */
import fs from 'node:fs';
import type { DataSpec } from '../../space/data-schema.js';
import { INT32_MISSING, type Key, type ReadStats, type Reader, type RowSink } from '../row-sink.js';
import { BadRows, describeFiles, shown } from './bad-rows.js';
import { MAX_HEX_DIGITS, hexKey } from './buckets.js';
import { CATEGORICAL_COLUMNS, COLUMNS, INTEGER_COLUMNS, WIDE, parseLine } from './criteo-parse.js';
import { selectFields } from './fields.js';
import { forEachLine, type InputFile } from './line-source.js';

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

/**
 * Rows parsed into one block for the sink's batch path (5 MiB of keys for 39 fields). The encoder interns a block one
 * column at a time, so each hash table is used for this many lookups in a row before the next table (and the parsing
 * of the next block) pushes it out of the cache: 1024 rows gave 220k lines per CPU-second, 8192 250k, 32768 280k,
 * larger no more.
 */
const BATCH_ROWS = 32768;

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
  // After the first batch, the sink hears how many rows to expect: the files' size over the bytes per line so far.
  const totalBytes = batched && sink.expectRows !== undefined ? fileBytes(files) : 0;
  let bytes = 0;
  let hinted = totalBytes === 0;
  let count = 0;
  let rows = 0;
  for (const file of files) {
    let view: DataView = new DataView(new ArrayBuffer(0));
    let viewed: Buffer | null = null;
    await forEachLine(file, (buf, start, end, line) => {
      if (buf !== viewed) {
        viewed = buf;
        view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      }
      const parsed = parseLine(buf, view, start, end, at, ints, stride, count, wide);
      if (parsed < 0) {
        wide.fill(NaN);
        const [what, fix] = diagnose(buf.toString('utf8', start, end), slots);
        bad.report(file, line, what, fix);
        return;
      }
      rows++;
      bytes += end - start + 1;
      if (batched && parsed < WIDE) {
        labels[count] = parsed;
        if (++count === BATCH_ROWS) {
          sink.rowsInt32!(labels, ints, count, stride);
          count = 0;
          if (!hinted) {
            hinted = true;
            sink.expectRows!(Math.round((totalBytes / bytes) * rows));
          }
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

/** The summed size of the input files (0 when one cannot be read: then reading them reports the problem). */
function fileBytes(files: readonly InputFile[]): number {
  try {
    return files.reduce((sum, file) => sum + fs.statSync(file.abs).size, 0);
  } catch {
    return 0;
  }
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
