/** The data fingerprint and the cache's family: changed data is noticed and named; old cache files do not pile up. */
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-dataset.js';
import { dataChange, isFingerprint, storedFingerprint } from '../../src/data/fingerprint.js';
import { dataSpec } from './helpers.js';

let dir: string;
let cacheDir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'embnas-fingerprint-test-'));
  cacheDir = path.join(dir, 'cache');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = () => path.join(dir, 'clicks.csv');
function write(rows: number, color = (i: number) => (i % 2 === 0 ? 'red' : 'blue')): void {
  writeFileSync(
    file(),
    ['y,color', ...Array.from({ length: rows }, (_, i) => `${i % 3 === 0 ? 1 : 0},${color(i)}`)].join('\n') + '\n',
  );
}
const spec = dataSpec({ format: 'csv', path: 'clicks.csv', label: 'y', split: { valid: 0.25, test: 0 } });
const load = () => loadDataset(spec, dir, { cacheDir });

describe('data fingerprint', () => {
  it('is the same from the cache as from the parse, and names the file, its size and rows', async () => {
    write(40);
    const parsed = await load();
    const cached = await load();
    expect(cached.fromCache).toBe(true);
    expect(cached.fingerprint).toEqual(parsed.fingerprint);
    expect(isFingerprint(parsed.fingerprint)).toBe(true);
    expect(parsed.fingerprint).toMatchObject({
      rows: 40,
      splits: { train: 30, valid: 10, test: 0 },
      files: [{ path: 'clicks.csv', size: statSync(file()).size }],
    });
  });

  it('ignores a touch that kept the content, and names what changed otherwise', async () => {
    write(40);
    const a = (await load()).fingerprint;
    const later = new Date(Date.now() + 60_000);
    utimesSync(file(), later, later);
    const touched = await load();
    expect(touched.fromCache).toBe(false); // the cache key sees the mtime …
    expect(dataChange(a, touched.fingerprint)).toBeNull(); // … but the rows are the same: nothing to refuse

    write(100);
    const grown = (await load()).fingerprint;
    expect(dataChange(a, grown)).toMatch(
      /^clicks\.csv changed \(\d+ → \d+ bytes, modified .*; 40 rows then, 100 now\)$/,
    );

    write(100, (i) => (i % 2 === 0 ? 'blue' : 'red')); // same size, same mtime second, other rows
    const { atime, mtime } = statSync(file());
    utimesSync(file(), atime, mtime);
    const swapped = (await load()).fingerprint;
    expect(dataChange(grown, swapped)).toMatch(/clicks\.csv changed \(same size, other content/);
  });

  it('is read back from a search’s events: the first dataset event that carries one', async () => {
    write(40);
    const f = (await load()).fingerprint;
    const events = [
      { kind: 'started', payload: {} },
      { kind: 'dataset', payload: { rows: 40 } }, // written before fingerprints were kept
      { kind: 'dataset', payload: { rows: 40, fingerprint: f } },
      { kind: 'dataset', payload: { rows: 41, fingerprint: { ...f, content: 'other' } } },
    ];
    expect(storedFingerprint(events)).toEqual(f);
    expect(storedFingerprint(events.slice(0, 2))).toBeNull();
  });
});

describe('dataset cache family', () => {
  it('replaces the cache file of changed data instead of keeping both', async () => {
    write(40);
    await load();
    write(60);
    await load();
    write(80);
    const last = await load();
    const files = readdirSync(cacheDir);
    expect(files).toEqual([path.basename(last.cacheFile!)]);
    // other data (another setting) is another family: kept
    await loadDataset({ ...spec, minCount: 2 }, dir, { cacheDir });
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });
});
