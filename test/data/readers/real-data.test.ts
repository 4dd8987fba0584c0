/**
 * The readers on the real datasets of ../shared/datasets; the expected numbers are the ones its README documents.
 * Skipped (with a message) when the folder is absent, as in a fresh clone; in CI that fails instead (test/require.ts).
 */
import { describe, expect, it } from 'vitest';
import { openReader } from '../../../src/data/readers/index.js';
import { requireOrSkip, SHARED_DATA_INSTALL, SHARED_DATASETS, sharedDataPresent } from '../../require.js';
import { count, spec } from './helpers.js';

const datasets = SHARED_DATASETS;
const present = requireOrSkip(
  sharedDataPresent(
    'frappe/frappe.validation.libfm',
    'frappe/frappe.test.libfm',
    'movielens-100k/u.data',
    'movielens-100k/u.user',
    'movielens-100k/u.item',
    'adult/adult.data',
    'adult/adult.test',
  ),
  'the real datasets (../shared/datasets: frappe, movielens-100k, adult)',
  SHARED_DATA_INSTALL,
);

const distinctSizes = (counted: Awaited<ReturnType<typeof count>>): Record<string, number> =>
  Object.fromEntries([...counted.distinct].map(([field, keys]) => [field, keys.size]));

describe.skipIf(!present)('readers on the real datasets', () => {
  it('frappe (both libFM files): 86,582 rows, 10 fields, positive rate 0.330', async () => {
    const fields = [
      'user',
      'item',
      'daytime',
      'weekday',
      'isweekend',
      'homework',
      'cost',
      'weather',
      'country',
      'city',
    ];
    const data = { format: 'libfm', path: ['frappe/frappe.validation.libfm', 'frappe/frappe.test.libfm'], fields };
    const counted = await count(openReader(spec(data), datasets));
    expect(counted.rows).toBe(86_582);
    expect(counted.stats.skipped).toBe(0);
    expect(Math.abs(counted.positives / counted.rows - 0.33)).toBeLessThanOrEqual(0.001);
    expect(distinctSizes(counted)).toEqual({
      user: 913,
      item: 4082,
      daytime: 7,
      weekday: 7,
      isweekend: 2,
      homework: 3,
      cost: 2,
      weather: 9,
      country: 76,
      city: 227,
    });
    expect([...counted.nulls.values()].every((n) => n === 0)).toBe(true);
  });

  it('movielens-100k: 100,000 ratings joined with users and movies, positive rate 0.554', async () => {
    const counted = await count(openReader(spec({ format: 'movielens', path: 'movielens-100k' }), datasets));
    expect(counted.rows).toBe(100_000);
    expect(Math.abs(counted.positives / counted.rows - 0.554)).toBeLessThan(0.001);
    const sizes = distinctSizes(counted);
    expect(sizes).toMatchObject({ user: 943, item: 1682, age: 61, gender: 2, occupation: 21, zip: 795 });
    // Not in the README: 71 release years (+ one movie without a date) and 216 genre combinations among rated movies.
    expect(sizes.release_year).toBe(71);
    expect(sizes.genres).toBe(216);
    expect(counted.nulls.get('release_year')).toBeGreaterThan(0);
  });

  it('adult (adult.data + adult.test, no header): 48,842 rows, positive rate 0.239', async () => {
    const columns = [
      'age',
      'workclass',
      'fnlwgt',
      'education',
      'education_num',
      'marital_status',
      'occupation',
      'relationship',
      'race',
      'sex',
      'capital_gain',
      'capital_loss',
      'hours_per_week',
      'native_country',
      'income',
    ];
    const numeric = ['age', 'fnlwgt', 'education_num', 'capital_gain', 'capital_loss', 'hours_per_week'];
    const data = {
      format: 'csv',
      path: ['adult/adult.data', 'adult/adult.test'],
      columns,
      label: 'income',
      positive: ['>50K', '>50K.'],
      numeric,
      missing: ['?'],
    };
    const reader = openReader(spec(data), datasets);
    expect(reader.fields.slice(0, 8)).toEqual([
      'workclass',
      'education',
      'marital_status',
      'occupation',
      'relationship',
      'race',
      'sex',
      'native_country',
    ]);
    expect(reader.fields.slice(8)).toEqual(numeric);
    const counted = await count(reader);
    expect(counted.rows).toBe(48_842);
    expect(Math.abs(counted.positives / counted.rows - 0.239)).toBeLessThan(0.001);
    // The README counts '?' as a value: 9 workclasses = 8 named + missing, 42 countries = 41 named + missing.
    const sizes = distinctSizes(counted);
    expect(sizes.workclass).toBe(8);
    expect(counted.nulls.get('workclass')).toBe(2799);
    expect(sizes.native_country).toBe(41);
    expect(counted.nulls.get('native_country')).toBeGreaterThan(0);
    expect(sizes.workclass + 1).toBe(9);
    expect(sizes.native_country + 1).toBe(42);
    for (const name of numeric) expect([...counted.distinct.get(name)!].every((k) => typeof k === 'number')).toBe(true);
  });
});
