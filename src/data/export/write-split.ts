/**
 * Writes one split of an encoded dataset — its labels and its row-major ids, exactly the arrays the engine trains on —
 * as CSV (`label,<field>...`) or as two .npy files (labels uint8, ids int32 [rows, fields]). Rows are written in
 * chunks straight from the dataset's arrays: a split of a Criteo day is gigabytes and is never built in memory.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import type { EncodedDataset, SplitRange } from '../encoded-dataset.js';
import { npyHeader } from './npy.js';

/** Rows per write. */
const CHUNK_ROWS = 1 << 16;
const LITTLE_ENDIAN = endianness() === 'LE';

function withFile(file: string, write: (fd: number) => void): void {
  const fd = openSync(file, 'wx');
  try {
    write(fd);
  } finally {
    closeSync(fd);
  }
}

/** `label,<field>...` then one line per row: the label (0 or 1) and each field's id. */
export function writeCsvSplit(file: string, dataset: EncodedDataset, range: SplitRange): void {
  const width = dataset.fields.length;
  withFile(file, (fd) => {
    writeSync(fd, `${['label', ...dataset.fields.map((f) => csvCell(f.name))].join(',')}\n`);
    for (let start = range.start; start < range.end; start += CHUNK_ROWS) {
      const end = Math.min(range.end, start + CHUNK_ROWS);
      const lines: string[] = new Array<string>(end - start);
      for (let r = start; r < end; r++) {
        let line = dataset.labels[r] === 1 ? '1' : '0';
        for (let j = r * width; j < (r + 1) * width; j++) line += `,${dataset.ids[j]}`;
        lines[r - start] = line;
      }
      writeSync(fd, `${lines.join('\n')}\n`);
    }
  });
}

/** A header cell: quoted when the field name holds a comma, a quote or a line break. */
function csvCell(name: string): string {
  return /[",\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/** `<stem>.labels.npy` (uint8, [rows]) and `<stem>.ids.npy` (int32, [rows, fields]). */
export function writeNpySplit(stem: string, dataset: EncodedDataset, range: SplitRange): void {
  const rows = range.end - range.start;
  const width = dataset.fields.length;
  withFile(`${stem}.labels.npy`, (fd) => {
    writeSync(fd, npyHeader('|u1', [rows]));
    for (let start = range.start; start < range.end; start += CHUNK_ROWS) {
      const end = Math.min(range.end, start + CHUNK_ROWS);
      writeSync(fd, Uint8Array.from(dataset.labels.subarray(start, end)));
    }
  });
  withFile(`${stem}.ids.npy`, (fd) => {
    writeSync(fd, npyHeader('<i4', [rows, width]));
    for (let start = range.start; start < range.end; start += CHUNK_ROWS) {
      const end = Math.min(range.end, start + CHUNK_ROWS);
      writeSync(fd, littleEndian(dataset.ids.subarray(start * width, end * width)));
    }
  });
}

function littleEndian(values: Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new DataView(new ArrayBuffer(values.byteLength));
  values.forEach((v, i) => out.setInt32(4 * i, v, true));
  return new Uint8Array(out.buffer);
}
