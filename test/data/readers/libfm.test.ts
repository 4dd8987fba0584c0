import { afterAll, describe, expect, it } from 'vitest';
import { openReader } from '../../../src/data/readers/index.js';
import { collect, removeDir, spec, tempDir, usageError, writeLines } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));

const FIELDS = ['user', 'item', 'weather'];

describe('libfm reader', () => {
  it('maps labels −1/0/1 to 0/0/1 and keys each field by its index', async () => {
    writeLines(dir, 'a.libfm', [
      '1 12:1 340:1 5001:1',
      '-1 13:1 341:1 5002:1',
      '0 12:1  341:1\t5001:1',
      '+1 14:1 342:0 5003:1.0',
    ]);
    const reader = openReader(spec({ format: 'libfm', path: 'a.libfm', fields: FIELDS }), dir);
    expect(reader.fields).toEqual(FIELDS);
    const { labels, rows } = await collect(reader);
    expect(labels).toEqual([1, 0, 0, 1]);
    expect(rows).toEqual([
      [12, 340, 5001],
      [13, 341, 5002],
      [12, 341, 5001],
      [14, null, 5003], // value 0 = feature absent
    ]);
  });

  it('needs data.fields, each name once', async () => {
    writeLines(dir, 'b.libfm', ['1 1:1']);
    expect((await usageError(() => openReader(spec({ format: 'libfm', path: 'b.libfm' }), dir))).message).toContain(
      'data.fields is required',
    );
    const twice = await usageError(() =>
      openReader(spec({ format: 'libfm', path: 'b.libfm', fields: ['a', 'b', 'a'] }), dir),
    );
    expect(twice.message).toContain("data.fields: 'a' is listed twice");
  });

  const badCases: Array<[string, string, RegExp]> = [
    ['too few tokens', '1 12:1 340:1', /expected a label and 3 features \(one per field\), found 2/],
    ['too many tokens', '1 12:1 340:1 5001:1 6000:1', /expected a label and 3 features .*found 4 features/],
    ['a non-numeric label', 'pos 12:1 340:1 5001:1', /label 'pos' is not a number/],
    ['a label outside −1/0/1', '2 12:1 340:1 5001:1', /label '2' is not −1, 0 or 1/],
    ['a token without value', '1 12 340:1 5001:1', /feature 1 '12' is not index:value/],
    ['an unparsable value', '1 12:1 340:abc 5001:1', /feature 2 '340:abc' is not index:value/],
  ];
  for (const [what, bad, message] of badCases) {
    it(`reports ${what} with file:line, or skips it`, async () => {
      writeLines(dir, 'part1.libfm', ['1 1:1 2:1 3:1']);
      writeLines(dir, 'part2.libfm', ['1 1:1 2:1 3:1', '-1 1:1 2:1 3:1', bad]);
      const data = { format: 'libfm', path: ['part1.libfm', 'part2.libfm'], fields: FIELDS };
      const err = await usageError(() => openReader(spec(data), dir).read({ row() {} }));
      expect(err.message).toMatch(new RegExp(`part2\\.libfm:3: ${message.source}`));
      const skipped = await collect(openReader(spec({ ...data, onBadRow: 'skip' }), dir));
      expect(skipped.labels).toEqual([1, 1, 0]);
      expect(skipped.stats).toMatchObject({ rows: 3, skipped: 1 });
    });
  }
});
