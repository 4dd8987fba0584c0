import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeReader } from '../../../src/data/encode-reader.js';
import { writeCriteoFile } from '../../../src/data/readers/criteo-fixture.js';
import { openReader } from '../../../src/data/readers/index.js';
import { INT32_MISSING, type Key, type Reader, type RowSink } from '../../../src/data/row-sink.js';
import { collect, removeDir, spec, tempDir } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));

function line(label: string, ints: string[], cats: string[]): string {
  return [label, ...ints, ...cats].join('\t');
}
const INTS = ['1', '', '-3', '0', '7', '100', '', '', '', '', '', '', '5'];
const CATS = Array.from({ length: 26 }, (_, i) => (i % 5 === 4 ? '' : (0x68fd1e64 + i).toString(16)));
/** Lines the byte-level fast paths hand elsewhere: odd integers, ids that are not 8 digits or whose key is −2³¹. */
const SPECIAL = [
  line('1', ['-05', '-0', '1234', '98765432101', '9'.repeat(400), ...INTS.slice(5)], CATS),
  line('0', INTS, ['1a2b3c', 'ABCDEF12', '80000000', '0000000a', 'f', '1234567890abc', ...CATS.slice(6)]),
  line('1', INTS, ['80000000', ...CATS.slice(1)]),
];

/** A sink that takes batches and rows alike and records every row as the keys row() would have seen. */
function recordingSink(): RowSink & { labels: number[]; rows: Key[][]; batches: number } {
  const sink = {
    labels: [] as number[],
    rows: [] as Key[][],
    batches: 0,
    row(label: number, keys: readonly Key[]) {
      sink.labels.push(label);
      sink.rows.push([...keys]);
    },
    rowsInt32(labels: Uint8Array, keys: Int32Array, count: number, stride: number) {
      sink.batches++;
      const width = keys.length / stride;
      for (let r = 0; r < count; r++) {
        sink.labels.push(labels[r]);
        sink.rows.push(
          Array.from({ length: width }, (_, f) =>
            keys[f * stride + r] === INT32_MISSING ? null : keys[f * stride + r],
          ),
        );
      }
    },
  };
  return sink;
}

/** The same reader, seen by its sink without the batch path or the row-count hint. */
function rowByRow(reader: Reader): Reader {
  return { fields: reader.fields, read: (sink) => reader.read({ row: (label, keys) => sink.row(label, keys) }) };
}

describe('criteo reader, batch path', () => {
  const file = path.join(dir, 'mixed.txt');
  beforeAll(async () => {
    // More lines than one batch, with the special lines at a batch's start, middle and end.
    await writeCriteoFile(file, 40_000, 3);
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    lines.splice(32_768, 0, ...SPECIAL);
    lines.splice(32_767, 0, SPECIAL[1]);
    lines.splice(5, 0, ...SPECIAL);
    lines.splice(0, 0, SPECIAL[2]);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  });

  it('hands a batching sink the same rows, in the same order, as a row-by-row sink', async () => {
    const reader = openReader(spec({ format: 'criteo', path: 'mixed.txt' }), dir);
    const expected = await collect(reader);
    const sink = recordingSink();
    const stats = await reader.read(sink);
    expect(stats).toEqual(expected.stats);
    expect(sink.batches).toBeGreaterThan(1);
    expect(sink.labels).toEqual(expected.labels);
    expect(sink.rows).toEqual(expected.rows);
    expect(expected.rows[0][13]).toBe(-(2 ** 31)); // the id 80000000, passed as an ordinary number
    expect(expected.rows.length).toBe(40_000 + 2 * SPECIAL.length + 2);
  });

  it('encodes to the same dataset through the batch path as row by row', async () => {
    const reader = openReader(spec({ format: 'criteo', path: 'mixed.txt' }), dir);
    const settings = { minCount: 2, split: { valid: 0.1, test: 0.1, seed: 4, by: 'random' as const } };
    const fast = (await encodeReader(reader, settings, 'mixed.txt')).dataset;
    const slow = (await encodeReader(rowByRow(reader), settings, 'mixed.txt')).dataset;
    expect(Array.from(fast.ids)).toEqual(Array.from(slow.ids));
    expect(Array.from(fast.labels)).toEqual(Array.from(slow.labels));
    expect(fast.fields.map((f) => Array.from(f.counts))).toEqual(slow.fields.map((f) => Array.from(f.counts)));
    expect(fast.fields.map((f) => f.values)).toEqual(slow.fields.map((f) => f.values));
    expect(fast.fields[13].values).toContain(String(-(2 ** 31)));
  });
});
