import { describe, expect, it } from 'vitest';
import { Encoder } from '../../src/data/encoder.js';
import { buildVocabulary, frequencyOrder } from '../../src/data/vocabulary.js';
import { finalizeRows } from '../../src/data/finalize-rows.js';
import { planSplit } from '../../src/data/split.js';
import type { Key } from '../../src/data/row-sink.js';
import { encodeReader } from '../../src/data/encode-reader.js';
import { arrayReader } from './helpers.js';

function encode(fields: string[], rows: Key[][], minCount: number) {
  const enc = new Encoder(fields.length, { initialRows: 1 });
  rows.forEach((keys, i) => enc.row(i % 2, keys));
  const interned = enc.finish();
  const vocab = buildVocabulary(fields, interned, minCount);
  finalizeRows(interned, vocab, planSplit(rows.length, { valid: 0.5, test: 0, seed: 0, by: 'file' }));
  return { interned, vocab };
}

describe('vocabulary', () => {
  it('orders ids by descending frequency, ties by first appearance', () => {
    // counts: b 3, c 3 (c first seen after b), a 1, d 2
    const col = ['a', 'b', 'c', 'b', 'd', 'c', 'b', 'c', 'd'];
    const { interned, vocab } = encode(
      ['f'],
      col.map((k) => [k]),
      1,
    );
    const f = vocab.fields[0];
    expect(f.values).toEqual(['b', 'c', 'd', 'a']);
    expect(Array.from(f.counts)).toEqual([3, 3, 2, 1, 0, 0]);
    expect(Array.from(interned.ids)).toEqual([3, 0, 1, 0, 2, 1, 0, 1, 2]);
    expect(f).toMatchObject({ kept: 4, oovId: 4, missingId: 5, rows: 6, distinct: 4 });
  });

  it('sends values under minCount to oovId and missing cells to missingId', () => {
    const col: Key[] = ['x', 'y', 'x', 'z', null, 'x', 'y', null, 'w'];
    const { interned, vocab } = encode(
      ['f'],
      col.map((k) => [k]),
      2,
    );
    const f = vocab.fields[0];
    expect(f.values).toEqual(['x', 'y']);
    expect(f).toMatchObject({ kept: 2, oovId: 2, missingId: 3, rows: 4, distinct: 4 });
    expect(Array.from(f.counts)).toEqual([3, 2, 2, 2]); // x, y, oov (z, w), missing
    expect(Array.from(interned.ids)).toEqual([0, 1, 0, 2, 3, 0, 1, 3, 2]);
  });

  it('treats string and number keys as different values, per field', () => {
    const rows: Key[][] = [
      ['12', 12],
      [12, 12],
      ['12', 'a'],
    ];
    const { interned, vocab } = encode(['s', 't'], rows, 1);
    expect(vocab.fields[0].distinct).toBe(2);
    expect(vocab.fields[0].values).toEqual(['12', '12']); // '12' ×2 first, then the number 12
    expect(vocab.fields[1].values).toEqual(['12', 'a']);
    expect(Array.from(interned.ids)).toEqual([0, 0, 1, 0, 0, 1]);
  });

  it('counts every row once per field and keeps every id inside [0, rows)', () => {
    const rows: Key[][] = [];
    for (let i = 0; i < 5000; i++) rows.push([i % 7 === 0 ? null : (i * 7919) % 97, `v${i % 13}`]);
    const { interned, vocab } = encode(['a', 'b'], rows, 60);
    vocab.fields.forEach((f, c) => {
      expect(f.counts.reduce((s, x) => s + x, 0)).toBe(5000);
      let outside = 0;
      for (let r = 0; r < 5000; r++) {
        const id = interned.ids[r * 2 + c];
        if (id < 0 || id >= f.rows) outside++;
      }
      expect(outside).toBe(0);
      for (let i = 1; i < f.kept; i++) expect(f.counts[i - 1]).toBeGreaterThanOrEqual(f.counts[i]);
      if (f.kept > 0) expect(f.counts[f.kept - 1]).toBeGreaterThanOrEqual(60);
    });
    expect(vocab.fields[0].counts[vocab.fields[0].missingId]).toBe(Math.ceil(5000 / 7));
  });

  it('orders by count across the bucketed and the compared ranges, ties by id', () => {
    const counts = Int32Array.from([3, 5000, 7, 4096, 3, 9000, 5000, 1, 4095]);
    expect(Array.from(frequencyOrder(counts, 1))).toEqual([5, 1, 6, 3, 8, 2, 0, 4, 7]);
    expect(Array.from(frequencyOrder(counts, 4))).toEqual([5, 1, 6, 3, 8, 2]);
  });

  it('keeps first-appearance ties when a field mixes int32 keys with strings and large numbers', () => {
    const col: Key[] = ['s', 2 ** 40, 7, 's', 2 ** 40, 7, -3, 'z'];
    const { vocab } = encode(
      ['f'],
      col.map((k) => [k]),
      1,
    );
    expect(vocab.fields[0].values).toEqual(['s', String(2 ** 40), '7', '-3', 'z']);
  });

  it('formats the values only when they are first read, and keeps them an ordinary property', () => {
    const { vocab } = encode(
      ['n', 's'],
      [
        [7, 'x'],
        [2 ** 40, 'y'],
        [7, 'x'],
        [-5, null],
      ],
      1,
    );
    const [n, s] = vocab.fields;
    expect(Object.getOwnPropertyDescriptor(n, 'values')?.get).toBeTypeOf('function');
    expect(Object.keys(n)).toContain('values');
    expect(n.values).toEqual(['7', String(2 ** 40), '-5']);
    expect(Object.getOwnPropertyDescriptor(n, 'values')?.value).toBe(n.values); // formatted once, then kept
    expect({ ...s }.values).toEqual(['x', 'y']);
    expect(JSON.parse(JSON.stringify(s)).values).toEqual(['x', 'y']);
    s.values = ['renamed', 'too'];
    expect(s.values).toEqual(['renamed', 'too']);
  });

  it('rejects a reader that passes the wrong number of keys or a non-binary label', () => {
    const enc = new Encoder(2);
    expect(() => enc.row(1, ['a'])).toThrow(/1 keys for 2 fields/);
    expect(() => enc.row(0.5, ['a', 'b'])).toThrow(/label 0.5/);
  });

  it('grows past its initial capacity without losing rows', () => {
    const enc = new Encoder(3, { initialRows: 1024 });
    for (let i = 0; i < 10_000; i++) enc.row(i % 2, [i % 5, `k${i % 3}`, i]);
    const rows = enc.finish();
    expect(rows.numRows).toBe(10_000);
    expect(rows.ids.length).toBe(30_000);
    expect(rows.ids[3 * 9_999 + 2]).toBe(10_000); // temporary id of key 9999 = its first appearance, from 1
    expect(rows.labels[9_999]).toBe(1);
    expect(rows.fields[0]!.counts.length).toBe(1 + 5); // missing cells, then 5 values
  });
});

describe('vocabulary from the training rows only', () => {
  // 10 rows, file-order split: train 0–6, valid 7–8, test 9.
  const rows: [number, ...Key[]][] = [
    [1, 'a'],
    [0, 'a'],
    [1, 'b'],
    [0, 'a'],
    [1, 'b'],
    [0, 'c'],
    [1, 'a'],
    [0, 'z'],
    [1, 'z'], // valid: 'z' is frequent there but never seen in training
    [0, 'y'], // test only
  ];
  const settings = { minCount: 1, split: { valid: 0.2, test: 0.1, seed: 0, by: 'file' as const } };

  it('gives a value seen only in valid or test no row of its own: it reads the OOV row', async () => {
    const { dataset } = await encodeReader(arrayReader(['f'], rows), settings, 'roles');
    const f = dataset.fields[0];
    expect(f.values).toEqual(['a', 'b', 'c']);
    expect(f).toMatchObject({ kept: 3, oovId: 3, missingId: 4, rows: 5, distinct: 3 });
    expect(Array.from(dataset.ids.subarray(7))).toEqual([f.oovId, f.oovId, f.oovId]);
    // the counts, and so the frequency order and block boundaries, are those of the training rows
    expect(Array.from(f.counts)).toEqual([4, 2, 1, 0, 0]);
  });

  it('applies minCount to training occurrences, not to all of them', async () => {
    // 'c' occurs once in training and twice more in valid/test: with minCount 2 it must still share the OOV row.
    const more: [number, ...Key[]][] = [...rows.slice(0, 7), [0, 'c'], [1, 'c'], [0, 'a']];
    const { dataset } = await encodeReader(arrayReader(['f'], more), { ...settings, minCount: 2 }, 'roles');
    expect(dataset.fields[0].values).toEqual(['a', 'b']);
    expect(Array.from(dataset.ids)).toEqual([0, 0, 1, 0, 1, 2, 0, 2, 2, 0]);
  });
});
