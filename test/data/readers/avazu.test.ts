import { afterAll, describe, expect, it } from 'vitest';
import { openReader } from '../../../src/data/readers/index.js';
import { collect, removeDir, spec, tempDir, usageError, writeLines } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));

const HEADER = 'id,click,hour,C1,banner_pos,site_id,app_id,device_ip';
// 14102100 = Tuesday 21 Oct 2014, 00h; 14102623 = Sunday 26 Oct 2014, 23h.
const ROWS = [
  '1000009418151094273,0,14102100,1005,0,1fbe01fe,ecad2386,ddd2926e',
  '10000169349117863715,1,14102623,1002,1,85f751fd,,96809ac8',
];

describe('avazu reader', () => {
  it('drops id, takes click as the label and splits hour into hour_of_day and weekday', async () => {
    writeLines(dir, 'train.csv', [HEADER, ...ROWS]);
    const reader = openReader(spec({ format: 'avazu', path: 'train.csv' }), dir);
    expect(reader.fields).toEqual(['hour_of_day', 'weekday', 'C1', 'banner_pos', 'site_id', 'app_id', 'device_ip']);
    const { labels, rows, stats } = await collect(reader);
    expect(labels).toEqual([0, 1]);
    expect(stats.rows).toBe(2);
    expect(rows[0]).toEqual([0, 2, '1005', '0', '1fbe01fe', 'ecad2386', 'ddd2926e']);
    expect(rows[1]).toEqual([23, 0, '1002', '1', '85f751fd', null, '96809ac8']);
  });

  it('selects fields by name, including the derived ones', async () => {
    writeLines(dir, 'sel.csv', [HEADER, ...ROWS]);
    const reader = openReader(spec({ format: 'avazu', path: 'sel.csv', fields: ['site_id', 'weekday'] }), dir);
    expect((await collect(reader)).rows).toEqual([
      ['1fbe01fe', 2],
      ['85f751fd', 0],
    ]);
    const err = await usageError(() => openReader(spec({ format: 'avazu', path: 'sel.csv', fields: ['hour'] }), dir));
    expect(err.message).toContain("data.fields[0]: unknown name 'hour'");
    expect(err.hint).toContain('hour_of_day');
  });

  it('reads several files, each with its header, as one dataset', async () => {
    writeLines(dir, 'a.csv', [HEADER, ROWS[0]]);
    writeLines(dir, 'b.csv', [HEADER, ROWS[1], ROWS[0]]);
    const { labels } = await collect(openReader(spec({ format: 'avazu', path: ['a.csv', 'b.csv'] }), dir));
    expect(labels).toEqual([0, 1, 0]);
  });

  it('reads a later file that starts with data instead of the header', async () => {
    writeLines(dir, 'c.csv', [HEADER, ROWS[0]]);
    writeLines(dir, 'd.csv', [ROWS[1], ROWS[0]]);
    const { labels, rows } = await collect(openReader(spec({ format: 'avazu', path: ['c.csv', 'd.csv'] }), dir));
    expect(labels).toEqual([0, 1, 0]);
    expect(rows[1]).toEqual([23, 0, '1002', '1', '85f751fd', null, '96809ac8']);
  });

  it('refuses a later file whose header differs', async () => {
    writeLines(dir, 'e.csv', [HEADER, ROWS[0]]);
    writeLines(dir, 'f.csv', [HEADER.replace('site_id', 'site'), ROWS[1]]);
    const reader = openReader(spec({ format: 'avazu', path: ['e.csv', 'f.csv'] }), dir);
    const err = await usageError(() => reader.read({ row() {} }));
    expect(err.message).toMatch(/f\.csv:1: the header differs/);
  });

  it('with header: false reads files without a header in the standard column order', async () => {
    const row = (id: number, click: number, hour: string) =>
      [
        id,
        click,
        hour,
        1005,
        0,
        'site',
        'sdom',
        'scat',
        'app',
        'adom',
        'acat',
        'dev',
        'ip',
        'model',
        1,
        2,
        15706,
        320,
        50,
        1722,
        0,
        35,
        -1,
        79,
      ].join(',');
    writeLines(dir, 'plain1.csv', [row(1, 0, '14102100'), row(2, 1, '14102623')]);
    writeLines(dir, 'plain2.csv', [row(3, 1, '14102100')]);
    const reader = openReader(
      spec({
        format: 'avazu',
        path: ['plain1.csv', 'plain2.csv'],
        header: false,
        fields: ['weekday', 'site_domain', 'C21'],
      }),
      dir,
    );
    const { labels, rows } = await collect(reader);
    expect(labels).toEqual([0, 1, 1]);
    expect(rows).toEqual([
      [2, 'sdom', '79'],
      [0, 'sdom', '79'],
      [2, 'sdom', '79'],
    ]);
    writeLines(dir, 'headed.csv', [HEADER, ROWS[0]]);
    const err = await usageError(() =>
      openReader(spec({ format: 'avazu', path: 'headed.csv', header: false }), dir).read({ row() {} }),
    );
    expect(err.toLine()).toMatch(/headed\.csv:1: data\.header is false but this line is a header/);
  });

  it('refuses data.header under another format', async () => {
    writeLines(dir, 'other.csv', ['label,a', '1,x']);
    const err = await usageError(() =>
      openReader(spec({ format: 'csv', path: 'other.csv', label: 'label', header: false }), dir),
    );
    expect(err.message).toBe('data.header: only format avazu uses this option, not csv');
    expect(err.hint).toMatch(/data\.columns/);
  });

  it('refuses a file without a click column (the unlabeled test file)', async () => {
    writeLines(dir, 'test.csv', ['id,hour,C1', '1,14102100,1005']);
    const err = await usageError(() => openReader(spec({ format: 'avazu', path: 'test.csv' }), dir));
    expect(err.message).toMatch(/test\.csv:1: the header has no 'click' column/);
  });

  const badCases: Array<[string, string, RegExp]> = [
    ['a short row', '1,0,14102100,1005,0,1fbe01fe,ecad2386', /expected 8 comma-separated columns, found 7/],
    ['a non-numeric click', '1,x,14102100,1005,0,1fbe01fe,ecad2386,ddd2926e', /click 'x' is not a number/],
    ['a click other than 0/1', '1,2,14102100,1005,0,1fbe01fe,ecad2386,ddd2926e', /click '2' is not 0 or 1/],
    ['an impossible hour', '1,1,14023100,1005,0,1fbe01fe,ecad2386,ddd2926e', /hour '14023100' is not a YYMMDDHH time/],
  ];
  for (const [what, bad, message] of badCases) {
    it(`reports ${what} with file:line, or skips it`, async () => {
      writeLines(dir, 'bad.csv', [HEADER, ROWS[0], bad, ROWS[1]]);
      const err = await usageError(() =>
        openReader(spec({ format: 'avazu', path: 'bad.csv' }), dir).read({ row() {} }),
      );
      expect(err.message).toMatch(new RegExp(`bad\\.csv:3: ${message.source}`));
      const skipped = await collect(openReader(spec({ format: 'avazu', path: 'bad.csv', onBadRow: 'skip' }), dir));
      expect(skipped.labels).toEqual([0, 1]);
      expect(skipped.stats.skipped).toBe(1);
      expect(skipped.stats.skippedExamples[0]).toMatch(/bad\.csv:3: /);
    });
  }
});
