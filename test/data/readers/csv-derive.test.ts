/** csv `derive`: hour and weekday fields from ISO timestamp columns, in UTC, and every way to get it wrong. */
import { afterAll, describe, expect, it } from 'vitest';
import { openReader } from '../../../src/data/readers/index.js';
import { packedHour } from '../../../src/data/readers/timestamp.js';
import { parseSpace } from '../../../src/space/load-space.js';
import { collect, removeDir, spec, tempDir, usageError, writeLines } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));

// 2017-11-07 was a Tuesday (weekday 2); 2017-11-05 a Sunday (0).
const LINES = [
  'ip,app,click_time,is_attributed',
  '1,3,2017-11-07 09:30:38,0',
  '2,3,2017-11-07T23:59:59Z,1',
  '3,4,2017-11-07T00:30:00+02:00,0',
  '4,4,,1',
  '5,3,2017-11-05 12:00,0',
];

describe('csv derive', () => {
  it('adds <column>_hour and <column>_weekday in UTC and leaves the timestamp column out of the default fields', async () => {
    writeLines(dir, 'clicks.csv', LINES);
    const reader = openReader(
      spec({ format: 'csv', path: 'clicks.csv', label: 'is_attributed', derive: { click_time: ['hour', 'weekday'] } }),
      dir,
    );
    expect(reader.fields).toEqual(['ip', 'app', 'click_time_hour', 'click_time_weekday']);
    const { labels, rows } = await collect(reader);
    expect(labels).toEqual([0, 1, 0, 1, 0]);
    expect(rows.map((r) => r.slice(2))).toEqual([
      [9, 2],
      [23, 2],
      [22, 1],
      [null, null],
      [12, 0],
    ]);
  });

  it('lets data.fields pick and order derived fields next to columns', async () => {
    writeLines(dir, 'pick.csv', LINES);
    const reader = openReader(
      spec({
        format: 'csv',
        path: 'pick.csv',
        label: 'is_attributed',
        derive: { click_time: ['weekday', 'hour'] },
        fields: ['click_time_weekday', 'app'],
      }),
      dir,
    );
    expect(reader.fields).toEqual(['click_time_weekday', 'app']);
    expect((await collect(reader)).rows[0]).toEqual([2, '3']);
  });

  it('reads the timestamp forms click logs write, and rejects impossible ones', () => {
    const parts = (cell: string) => {
      const p = packedHour(cell);
      return p < 0 ? null : [p % 24, Math.floor(p / 24)];
    };
    expect(parts('2017-11-07 09:30:38')).toEqual([9, 2]);
    expect(parts('2017-11-07T09:30:38.250Z')).toEqual([9, 2]);
    expect(parts('2017-11-07T01:00:00-0500')).toEqual([6, 2]);
    expect(parts('2017-11-04T23:00:00-01:00')).toEqual([0, 0]); // Saturday 23h at −1 is Sunday 0h UTC
    for (const bad of [
      '2017-02-30 10:00:00',
      '2017-11-07 24:00:00',
      '2017-13-01 10:00',
      'yesterday',
      '1510047038',
      '2017-11-07',
    ]) {
      expect(parts(bad), bad).toBeNull();
    }
  });

  it('names file, line and column of a cell that is not a timestamp, or skips the row', async () => {
    writeLines(dir, 'bad.csv', [...LINES.slice(0, 3), '9,3,yesterday,1']);
    const options = { format: 'csv', path: 'bad.csv', label: 'is_attributed', derive: { click_time: ['hour'] } };
    const err = await usageError(() => openReader(spec(options), dir).read({ row() {} }));
    expect(err.message).toMatch(/bad\.csv:4: column 'click_time': 'yesterday' is not a timestamp$/);
    const skipped = await collect(openReader(spec({ ...options, onBadRow: 'skip' }), dir));
    expect(skipped.stats.skipped).toBe(1);
    expect(skipped.labels).toEqual([0, 1]);
  });

  it('refuses an unknown part in one line that lists the valid ones, with the line of the space file', () => {
    const text =
      'data:\n  format: csv\n  path: clicks.csv\n  label: is_attributed\n  derive: { click_time: [hour, minute] }\nreward: { budgetMB: 1 }\n';
    expect(() => parseSpace(text, 'space.yaml')).toThrow(
      /^space\.yaml:5: data\.derive\.click_time\[1\]: expected one of hour, weekday, found the string "minute"/,
    );
  });

  it('refuses a derive on an unknown, label or numeric column, a clashing name, and under another format', async () => {
    writeLines(dir, 'cols.csv', ['label,t,t_hour,n', '1,2017-11-07 09:30:38,x,3']);
    const base = { format: 'csv', path: 'cols.csv', label: 'label' };
    for (const [derive, extra, message] of [
      [{ when: ['hour'] }, {}, /data\.derive\.when: unknown name 'when'/],
      [{ label: ['hour'] }, {}, /'label' is the label column/],
      [{ n: ['hour'] }, { numeric: ['n'] }, /'n' is also in data\.numeric/],
      [{ t: ['hour'] }, {}, /derived field 't_hour' clashes with a column/],
      [{ t: ['hour', 'hour'] }, {}, /data\.derive\.t: 'hour' is listed twice/],
    ] as const) {
      const err = await usageError(() => openReader(spec({ ...base, ...extra, derive }), dir));
      expect(err.message).toMatch(message);
    }
    writeLines(dir, 'crit.txt', ['1\t1']);
    const err = await usageError(() =>
      openReader(spec({ format: 'criteo', path: 'crit.txt', derive: { t: ['hour'] } }), dir),
    );
    expect(err.message).toBe('data.derive: only format csv uses this option, not criteo');
  });
});
