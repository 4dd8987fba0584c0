import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hexKey, log2Bucket, NEGATIVE_BUCKET } from '../../../src/data/readers/buckets.js';
import { writeCriteoFile } from '../../../src/data/readers/criteo-fixture.js';
import { openReader } from '../../../src/data/readers/index.js';
import { collect, count, removeDir, spec, tempDir, usageError, writeLines } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));

/** A Criteo line from a label, 13 integer cells and 26 hex cells ('' = missing). */
function line(label: string, ints: string[], cats: string[]): string {
  return [label, ...ints, ...cats].join('\t');
}
const INTS = ['1', '', '-3', '0', '7', '100', '', '', '', '', '', '', '5'];
const CATS = Array.from({ length: 26 }, (_, i) => (i % 5 === 4 ? '' : (0x68fd1e64 + i).toString(16)));
const good = line('1', INTS, CATS);

describe('criteo reader', () => {
  it('reads labels, log2 buckets of integers (negatives apart) and numeric hex keys, with empty = null', async () => {
    writeLines(dir, 'good.txt', [
      good,
      line(
        '0',
        INTS.map(() => ''),
        CATS.map(() => ''),
      ),
    ]);
    const reader = openReader(spec({ format: 'criteo', path: 'good.txt' }), dir);
    expect(reader.fields).toHaveLength(39);
    expect(reader.fields.slice(0, 2)).toEqual(['I1', 'I2']);
    expect(reader.fields[13]).toBe('C1');
    const { labels, rows, stats } = await collect(reader);
    expect(labels).toEqual([1, 0]);
    expect(stats).toEqual({ rows: 2, skipped: 0, skippedExamples: [] });
    const ints = INTS.map((c) => (c === '' ? null : Number(c) < 0 ? NEGATIVE_BUCKET : log2Bucket(Number(c))));
    expect(rows[0].slice(0, 13)).toEqual(ints);
    expect(rows[0].slice(0, 7)).toEqual([1, null, NEGATIVE_BUCKET, 0, 3, 6, null]);
    expect(rows[0].slice(13)).toEqual(CATS.map((c) => (c === '' ? null : hexKey(c))));
    expect(rows[0].slice(13).every((k) => k === null || typeof k === 'number')).toBe(true);
    expect(rows[1].every((k) => k === null)).toBe(true);
  });

  it('buckets integers of any length and sign, and keys hex ids of any length and case', async () => {
    const ints = ['-05', '-0', '1234', '98765432101', '9'.repeat(400), '65', '999', '-7', '0', '3', '', '12', '-00'];
    const cats = ['1a2b3c', 'ABCDEF12', '80000000', '0000000a', 'f', '1234567890abc', ...CATS.slice(6)];
    writeLines(dir, 'odd.txt', [line('1', ints, cats)]);
    const { rows } = await collect(openReader(spec({ format: 'criteo', path: 'odd.txt' }), dir));
    expect(rows[0].slice(0, 13)).toEqual([
      NEGATIVE_BUCKET,
      0,
      log2Bucket(1234),
      log2Bucket(98765432101),
      log2Bucket(Number('9'.repeat(400))),
      log2Bucket(65),
      log2Bucket(999),
      NEGATIVE_BUCKET,
      0,
      log2Bucket(3),
      null,
      log2Bucket(12),
      0,
    ]);
    expect(rows[0].slice(13, 19)).toEqual(cats.slice(0, 6).map((c) => hexKey(c)));
    expect(rows[0][14]).toBe(hexKey('abcdef12'));
  });

  it('keeps only the fields asked for, in the order asked', async () => {
    writeLines(dir, 'subset.txt', [good]);
    const reader = openReader(spec({ format: 'criteo', path: 'subset.txt', fields: ['C2', 'I5', 'C1'] }), dir);
    expect(reader.fields).toEqual(['C2', 'I5', 'C1']);
    const { rows } = await collect(reader);
    expect(rows).toEqual([[hexKey(CATS[1]), log2Bucket(7), hexKey(CATS[0])]]);
  });

  it('names an unknown field with its key path and lists the valid ones', async () => {
    writeLines(dir, 'f.txt', [good]);
    const err = await usageError(() =>
      openReader(spec({ format: 'criteo', path: 'f.txt', fields: ['I1', 'I14'] }), dir),
    );
    expect(err.message).toContain('data.fields[1]');
    expect(err.message).toContain('I14');
    expect(err.hint).toContain('C26');
    const twice = await usageError(() =>
      openReader(spec({ format: 'criteo', path: 'f.txt', fields: ['I1', 'C3', 'I1'] }), dir),
    );
    expect(twice.message).toBe("data.fields: 'I1' is listed twice (data.fields[0] and data.fields[2])");
  });

  const badCases: Array<[string, string, RegExp]> = [
    ['too few columns', line('1', INTS, CATS.slice(0, 25)), /expected 40 tab-separated columns.*found 39/],
    ['too many columns', `${good}\textra`, /expected 40 .* found 41/],
    ['a non-numeric label', line('yes', INTS, CATS), /label 'yes' is not a number/],
    ['a label other than 0/1', line('2', INTS, CATS), /label '2' is not 0 or 1/],
    ['a non-integer count', line('1', ['1.5', ...INTS.slice(1)], CATS), /I1 value '1.5' is not an integer/],
    ['a non-hex id', line('1', INTS, ['zz', ...CATS.slice(1)]), /C1 value 'zz' is not a hex id/],
  ];
  for (const [what, bad, message] of badCases) {
    it(`stops at ${what} with file:line under onBadRow: error`, async () => {
      writeLines(dir, 'bad.txt', [good, good, bad, good]);
      const reader = openReader(spec({ format: 'criteo', path: 'bad.txt' }), dir);
      const err = await usageError(() => reader.read({ row() {} }));
      expect(err.message).toMatch(new RegExp(`bad\\.txt:3: ${message.source}`));
      expect(err.hint).toContain('onBadRow: skip');
    });
  }

  it('does not check columns it does not read', async () => {
    writeLines(dir, 'unread.txt', [line('1', INTS, ['zz', ...CATS.slice(1)])]);
    const { rows } = await collect(openReader(spec({ format: 'criteo', path: 'unread.txt', fields: ['C2'] }), dir));
    expect(rows).toEqual([[hexKey(CATS[1])]]);
  });

  it('skips and counts bad rows under onBadRow: skip, keeping the first five as examples', async () => {
    const lines = [good];
    for (let i = 0; i < 7; i++) lines.push(line('3', INTS, CATS), good);
    writeLines(dir, 'skip.txt', lines);
    const { labels, stats } = await collect(
      openReader(spec({ format: 'criteo', path: 'skip.txt', onBadRow: 'skip' }), dir),
    );
    expect(labels).toHaveLength(8);
    expect(stats.rows).toBe(8);
    expect(stats.skipped).toBe(7);
    expect(stats.skippedExamples).toHaveLength(5);
    expect(stats.skippedExamples[0]).toMatch(/skip\.txt:2: label '3' is not 0 or 1/);
    expect(stats.skippedExamples[4]).toMatch(/skip\.txt:10: /);
  });

  it('reads a list of files in order as one dataset, numbering lines per file', async () => {
    writeLines(dir, 'part1.txt', [good, line('0', INTS, CATS)]);
    writeLines(dir, 'part2.txt', [line('0', INTS, CATS), 'broken'], false);
    const reader = openReader(spec({ format: 'criteo', path: ['part1.txt', 'part2.txt'], onBadRow: 'skip' }), dir);
    const { labels, stats } = await collect(reader);
    expect(labels).toEqual([1, 0, 0]);
    expect(stats.skippedExamples).toEqual([expect.stringMatching(/part2\.txt:2: expected 40/)]);
  });

  it('refuses a dataset without rows', async () => {
    writeLines(dir, 'empty.txt', ['', '']);
    const err = await usageError(() =>
      openReader(spec({ format: 'criteo', path: 'empty.txt' }), dir).read({ row() {} }),
    );
    expect(err.message).toMatch(/empty\.txt: no data rows/);
  });
});

describe('writeCriteoFile', () => {
  it('writes a deterministic, realistic file the reader accepts', async () => {
    const a = path.join(dir, 'fixture-a.txt');
    const b = path.join(dir, 'fixture-b.txt');
    const c = path.join(dir, 'fixture-c.txt');
    await writeCriteoFile(a, 3000, 7);
    await writeCriteoFile(b, 3000, 7);
    await writeCriteoFile(c, 3000, 8);
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
    expect(fs.readFileSync(a).equals(fs.readFileSync(c))).toBe(false);

    const counted = await count(openReader(spec({ format: 'criteo', path: a }), dir));
    expect(counted.rows).toBe(3000);
    expect(counted.positives / 3000).toBeGreaterThan(0.1);
    expect(counted.positives / 3000).toBeLessThan(0.45);
    // Missing shares follow the real columns: I12 is mostly empty, I2 never, C22 mostly.
    expect(counted.nulls.get('I12')! / 3000).toBeGreaterThan(0.6);
    expect(counted.nulls.get('I2')).toBe(0);
    expect(counted.nulls.get('C22')! / 3000).toBeGreaterThan(0.6);
    expect(counted.distinct.get('I2')!.has(NEGATIVE_BUCKET)).toBe(true);
    // Small vocabularies stay small, large ones are heavy-tailed: many distinct values but a frequent head.
    expect(counted.distinct.get('C9')!.size).toBeLessThanOrEqual(3);
    expect(counted.distinct.get('C3')!.size).toBeGreaterThan(300);
    expect(counted.distinct.get('C3')!.size).toBeLessThan(2900);
  });
});
