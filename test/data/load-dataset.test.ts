/**
 * loadDataset end to end, from the files to the EncodedDataset the engine trains on: encoding with progress, the
 * one-line errors for a missing file, ignored options and a too-small validation split, and on the real frappe files
 * the published cardinalities (skipped without ../shared/datasets on a user's clone, a failure in CI: test/require.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-dataset.js';
import { writeCriteoFile } from '../../src/data/readers/criteo-fixture.js';
import { isUsageError } from '../../src/errors.js';
import { requireOrSkip, SHARED_DATA_INSTALL, SHARED_DATASETS, sharedDataPresent } from '../require.js';
import { dataSpec } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'embnas-load-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadDataset', () => {
  it('encodes a Criteo file end to end, reporting progress', async () => {
    await writeCriteoFile(path.join(dir, 'day.txt'), 3000, 1);
    const seen: number[] = [];
    const spec = dataSpec({ format: 'criteo', path: 'day.txt', minCount: 3, cache: false, split: { by: 'file' } });
    const { dataset, stats, fromCache } = await loadDataset(spec, dir, { onProgress: (n) => seen.push(n) });
    expect(fromCache).toBe(false);
    expect(stats.rows).toBe(3000);
    expect(dataset.numRows).toBe(3000);
    expect(dataset.fields).toHaveLength(39);
    expect(dataset.ids.length).toBe(3000 * 39);
    expect(seen.at(-1)).toBe(3000);
    let outside = 0;
    dataset.fields.forEach((f, c) => {
      for (let r = 0; r < dataset.numRows; r++) if (dataset.ids[r * 39 + c] >= f.rows) outside++;
      expect(f.counts.reduce((s, x) => s + x, 0)).toBe(dataset.splits.train.end); // counted on the training rows
    });
    expect(outside).toBe(0);
  });

  it('names the missing input file', async () => {
    let err: unknown;
    try {
      await loadDataset(dataSpec({ format: 'criteo', path: 'nope.txt' }), dir, { cacheDir: dir });
    } catch (e) {
      err = e;
    }
    expect(isUsageError(err)).toBe(true);
    expect((err as Error).message).toMatch(/nope\.txt/);
  });

  it('rejects options the chosen format would ignore', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ format: 'synthetic', path: 'x.csv' }, /^data\.path: format synthetic/],
      [{ format: 'synthetic', label: 'y' }, /^data\.label: format synthetic/],
      [{ format: 'criteo', path: 'x.txt', synthetic: {} }, /^data\.synthetic: only format synthetic/],
    ];
    for (const [input, message] of cases) {
      let err: unknown;
      try {
        await loadDataset(dataSpec(input), dir, { cacheDir: dir });
      } catch (e) {
        err = e;
      }
      expect(isUsageError(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('stops with data.split.valid when the data is too small for a validation split', async () => {
    const spec = dataSpec({ format: 'synthetic', synthetic: { rows: 5 }, split: { valid: 0.05 }, cache: false });
    await expect(loadDataset(spec, dir)).rejects.toThrow(/data\.split\.valid/);
  });
});

const frappe = path.join(SHARED_DATASETS, 'frappe');
const hasFrappe = requireOrSkip(
  sharedDataPresent('frappe/frappe.validation.libfm', 'frappe/frappe.test.libfm'),
  'the frappe dataset (../shared/datasets/frappe)',
  SHARED_DATA_INSTALL,
);

describe.skipIf(!hasFrappe)('loadDataset on frappe', () => {
  it('finds the published cardinalities', async () => {
    const spec = dataSpec({
      format: 'libfm',
      path: ['frappe.validation.libfm', 'frappe.test.libfm'],
      fields: ['user', 'item', 'daytime', 'weekday', 'isweekend', 'homework', 'cost', 'weather', 'country', 'city'],
      cache: false,
    });
    const { dataset } = await loadDataset(spec, frappe);
    expect(dataset.numRows).toBe(86_582);
    // Cardinalities are of the training rows (80 % here): the published ones are over every row, so the large fields
    // see a little less, the small ones all of theirs.
    const published = [913, 4082, 7, 7, 2, 3, 2, 9, 76, 227];
    const distinct = dataset.fields.map((f) => f.distinct);
    distinct.forEach((d, i) => expect(d).toBeLessThanOrEqual(published[i]));
    expect(distinct.slice(2, 8)).toEqual(published.slice(2, 8));
    expect(distinct[0]).toBeGreaterThan(0.95 * published[0]);
    let pos = 0;
    for (const l of dataset.labels) pos += l;
    expect(pos / dataset.numRows).toBeCloseTo(0.333, 2);
  });
});
