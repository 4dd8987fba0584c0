import { afterAll, describe, expect, it } from 'vitest';
import { log2Bucket, NEGATIVE_BUCKET } from '../../../src/data/readers/buckets.js';
import { splitCsvLine } from '../../../src/data/readers/csv-split.js';
import { openReader } from '../../../src/data/readers/index.js';
import { collect, removeDir, spec, tempDir, usageError, writeLines } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));

describe('splitCsvLine', () => {
  it('splits and trims plain cells', () => {
    expect(splitCsvLine('a, b ,c,', ',')).toEqual(['a', 'b', 'c', '']);
    expect(splitCsvLine('39, State-gov, 77516', ', ')).toEqual(['39', 'State-gov', '77516']);
    expect(splitCsvLine('x\t y', '\t')).toEqual(['x', 'y']);
  });

  it('keeps delimiters and doubled quotes inside quoted cells', () => {
    expect(splitCsvLine('"a,b", "say ""hi""",c', ',')).toEqual(['a,b', 'say "hi"', 'c']);
    expect(splitCsvLine('"",x,"  padded  "', ',')).toEqual(['', 'x', '  padded  ']);
    expect(splitCsvLine('5\'10",x', ',')).toEqual(['5\'10"', 'x']);
  });

  it('reports an unclosed quote', () => {
    expect(splitCsvLine('a,"b,c', ',')).toBeNull();
  });
});

describe('csv reader', () => {
  const header = 'age,city,income,color';

  it('reads categorical columns as strings and numeric ones as log2 buckets', async () => {
    writeLines(dir, 'a.csv', [header, '30, Paris ,1,red', '-2,"Lyon, FR",0,?', ',Nice,1,']);
    const reader = openReader(
      spec({ format: 'csv', path: 'a.csv', label: 'income', numeric: ['age'], missing: ['?'] }),
      dir,
    );
    expect(reader.fields).toEqual(['city', 'color', 'age']);
    const { labels, rows } = await collect(reader);
    expect(labels).toEqual([1, 0, 1]);
    expect(rows).toEqual([
      ['Paris', 'red', log2Bucket(30)],
      ['Lyon, FR', null, NEGATIVE_BUCKET],
      ['Nice', null, null],
    ]);
  });

  it('takes column names from data.columns for files without header, with positive label values and a delimiter', async () => {
    writeLines(dir, 'b.data', ['39, State-gov, >50K', '50, ?, <=50K', '38, Private, >50K.']);
    const data = {
      format: 'csv',
      path: 'b.data',
      columns: ['age', 'workclass', 'income'],
      label: 'income',
      positive: ['>50K', '>50K.'],
      numeric: ['age'],
      missing: ['?'],
    };
    const { labels, rows } = await collect(openReader(spec(data), dir));
    expect(labels).toEqual([1, 0, 1]);
    expect(rows).toEqual([
      ['State-gov', log2Bucket(39)],
      [null, log2Bucket(50)],
      ['Private', log2Bucket(38)],
    ]);
  });

  it('uses only data.fields when given, in that order', async () => {
    writeLines(dir, 'c.csv', [header, '30,Paris,1,red']);
    const { rows } = await collect(
      openReader(spec({ format: 'csv', path: 'c.csv', label: 'income', fields: ['color', 'city'] }), dir),
    );
    expect(rows).toEqual([['red', 'Paris']]);
  });

  it('reads several files with the same header as one dataset', async () => {
    writeLines(dir, 'd1.csv', [header, '30,Paris,1,red']);
    writeLines(dir, 'd2.csv', [header, '31,Lyon,0,blue', '32,Nice,bad,blue']);
    const reader = openReader(
      spec({ format: 'csv', path: ['d1.csv', 'd2.csv'], label: 'income', onBadRow: 'skip' }),
      dir,
    );
    const { labels, stats } = await collect(reader);
    expect(labels).toEqual([1, 0]);
    expect(stats.skippedExamples).toEqual([expect.stringMatching(/d2\.csv:3: label 'bad' is not a number/)]);
  });

  const badCases: Array<[string, string, RegExp, Record<string, unknown>]> = [
    ['too few columns', '30,Paris,1', /expected 4 columns, found 3/, {}],
    ['too many columns', '30,Paris,1,red,extra', /expected 4 columns, found 5/, {}],
    ['an unclosed quote', '30,"Paris,1,red', /unclosed quote/, {}],
    ['a non-numeric label', '30,Paris,yes,red', /label 'yes' is not a number/, {}],
    ['a label other than 0/1', '30,Paris,2,red', /label '2' is not 0 or 1/, {}],
    ['a missing label', '30,Paris,,red', /the label is missing/, { positive: ['1'] }],
    ['an unparsable number', 'thirty,Paris,1,red', /column 'age': 'thirty' is not a number/, { numeric: ['age'] }],
  ];
  for (const [what, bad, message, extra] of badCases) {
    it(`reports ${what} with file:line, or skips it`, async () => {
      writeLines(dir, 'bad.csv', [header, '30,Paris,1,red', bad, '31,Lyon,0,blue']);
      const data = { format: 'csv', path: 'bad.csv', label: 'income', ...extra };
      const err = await usageError(() => openReader(spec(data), dir).read({ row() {} }));
      expect(err.message).toMatch(new RegExp(`bad\\.csv:3: ${message.source}`));
      const skipped = await collect(openReader(spec({ ...data, onBadRow: 'skip' }), dir));
      expect(skipped.labels).toEqual([1, 0]);
      expect(skipped.stats).toMatchObject({ rows: 2, skipped: 1 });
    });
  }

  it('names unknown or misplaced column names by key path and lists the columns', async () => {
    writeLines(dir, 'e.csv', [header, '30,Paris,1,red']);
    const open = (extra: Record<string, unknown>) => () =>
      openReader(spec({ format: 'csv', path: 'e.csv', label: 'income', ...extra }), dir);
    const unknownField = await usageError(open({ fields: ['city', 'colour'] }));
    expect(unknownField.message).toBe("data.fields[1]: unknown name 'colour'");
    expect(unknownField.hint).toContain('age, city, income, color');
    expect((await usageError(open({ label: 'target' }))).message).toBe("data.label: unknown name 'target'");
    expect((await usageError(open({ numeric: ['age', 'height'] }))).message).toBe(
      "data.numeric[1]: unknown name 'height'",
    );
    expect((await usageError(open({ fields: ['city', 'city'] }))).message).toContain(
      "data.fields: 'city' is listed twice",
    );
    expect((await usageError(open({ fields: ['age'], numeric: ['age'] }))).message).toContain(
      "data.fields: 'age' is declared twice",
    );
    expect((await usageError(open({ fields: ['income'] }))).message).toContain('is the label column');
    expect((await usageError(open({ label: undefined }))).message).toContain('data.label is required');
  });

  it('refuses a header that names a column twice', async () => {
    writeLines(dir, 'dup.csv', ['a,b,a', '1,2,3']);
    const err = await usageError(() => openReader(spec({ format: 'csv', path: 'dup.csv', label: 'b' }), dir));
    expect(err.message).toMatch(/dup\.csv: column 'a' appears twice in the header/);
  });
});
