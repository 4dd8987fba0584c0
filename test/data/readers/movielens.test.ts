import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openReader } from '../../../src/data/readers/index.js';
import { collect, removeDir, spec, tempDir, usageError, writeLines } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));

const flags = (...on: number[]): string => Array.from({ length: 19 }, (_, g) => (on.includes(g) ? '1' : '0')).join('|');

/** A small ml-100k folder; u.item is latin-1 like the real one. */
function folder(name: string, ratings: string[]): string {
  writeLines(dir, `${name}/u.user`, ['1|24|M|technician|85711', '2|53|F|other|T8H1N']);
  const items = [
    `1|Toy Story (1995)|01-Jan-1995||http://x|${flags(3, 4, 5)}`,
    `2|Unknown (????)|||http://y|${flags()}`,
    `3|Café (1998)|15-Mar-1998||http://z|${flags(8)}`,
  ];
  fs.writeFileSync(path.join(dir, name, 'u.item'), Buffer.from(`${items.join('\n')}\n`, 'latin1'));
  writeLines(dir, `${name}/u.data`, ratings);
  return name;
}

describe('movielens reader', () => {
  it('joins ratings with users and movies, rating ≥ 4 → 1', async () => {
    const reader = openReader(
      spec({
        format: 'movielens',
        path: folder('ml', ['1\t1\t5\t881250949', '2\t3\t3\t881250950', '2\t2\t4\t881250951']),
      }),
      dir,
    );
    expect(reader.fields).toEqual(['user', 'item', 'age', 'gender', 'occupation', 'zip', 'release_year', 'genres']);
    const { labels, rows } = await collect(reader);
    expect(labels).toEqual([1, 0, 1]);
    expect(rows).toEqual([
      [1, 1, 24, 'M', 'technician', '85711', 1995, "Animation|Children's|Comedy"],
      [2, 3, 53, 'F', 'other', 'T8H1N', 1998, 'Drama'],
      [2, 2, 53, 'F', 'other', 'T8H1N', null, null],
    ]);
  });

  it('keeps the fields asked for', async () => {
    const reader = openReader(
      spec({ format: 'movielens', path: folder('ml2', ['1\t3\t4\t1']), fields: ['genres', 'user'] }),
      dir,
    );
    expect((await collect(reader)).rows).toEqual([['Drama', 1]]);
  });

  const badCases: Array<[string, string, RegExp]> = [
    ['a short line', '1\t1\t5', /u\.data:2: expected 4 tab-separated columns, found 3/],
    ['a non-numeric rating', '1\t1\tfive\t1', /u\.data:2: rating 'five' is not a number from 1 to 5/],
    ['an unknown user', '9\t1\t5\t1', /u\.data:2: user '9' is not in u\.user/],
    ['an unknown movie', '1\t99\t5\t1', /u\.data:2: movie '99' is not in u\.item/],
  ];
  for (const [what, bad, message] of badCases) {
    it(`reports ${what} with file:line, or skips it`, async () => {
      const name = folder(`bad-${what.replace(/\W/g, '')}`, ['1\t1\t5\t1', bad, '2\t3\t1\t1']);
      const err = await usageError(() => openReader(spec({ format: 'movielens', path: name }), dir).read({ row() {} }));
      expect(err.message).toMatch(message);
      const skipped = await collect(openReader(spec({ format: 'movielens', path: name, onBadRow: 'skip' }), dir));
      expect(skipped.labels).toEqual([1, 0]);
      expect(skipped.stats.skipped).toBe(1);
    });
  }

  it('refuses a missing folder, a folder without u.item, and a list of paths', async () => {
    expect((await usageError(() => openReader(spec({ format: 'movielens', path: 'nowhere' }), dir))).message).toMatch(
      /folder not found: .*nowhere/,
    );
    writeLines(dir, 'partial/u.data', ['1\t1\t5\t1']);
    writeLines(dir, 'partial/u.user', ['1|24|M|technician|85711']);
    expect((await usageError(() => openReader(spec({ format: 'movielens', path: 'partial' }), dir))).message).toMatch(
      /u\.item/,
    );
    expect(
      (await usageError(() => openReader(spec({ format: 'movielens', path: ['ml', 'ml2'] }), dir))).message,
    ).toContain('one folder');
  });
});
