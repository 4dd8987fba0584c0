import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-dataset.js';
import { cacheKey, fingerprintFile } from '../../src/data/cache-key.js';
import { defaultCacheDir } from '../../src/data/cache.js';
import type { EncodedDataset } from '../../src/data/encoded-dataset.js';
import { dataSpec } from './helpers.js';

let dir: string;
let cacheDir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'embnas-cache-test-'));
  cacheDir = path.join(dir, 'cache');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const synthetic = (over: Record<string, unknown> = {}) =>
  dataSpec({ format: 'synthetic', synthetic: { rows: 3000, seed: 5 }, minCount: 2, ...over });

function expectSameDataset(a: EncodedDataset, b: EncodedDataset) {
  expect(b.numRows).toBe(a.numRows);
  expect(b.splits).toEqual(a.splits);
  expect(
    Buffer.from(b.ids.buffer, b.ids.byteOffset, b.ids.byteLength).equals(
      Buffer.from(a.ids.buffer, a.ids.byteOffset, a.ids.byteLength),
    ),
  ).toBe(true);
  expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
  expect(b.fields.map((f) => ({ ...f, counts: Array.from(f.counts) }))).toEqual(
    a.fields.map((f) => ({ ...f, counts: Array.from(f.counts) })),
  );
}

/** Swaps the first field's ids of two neighbouring rows that differ, inside a cache file's bytes. */
function swapTwoIds(file: Buffer, d: EncodedDataset): Buffer {
  const F = d.fields.length;
  const idsStart = file.length - d.labels.byteLength - d.ids.byteLength;
  let r = 0;
  while (d.ids[r * F] === d.ids[(r + 1) * F]) r++;
  const c = Buffer.from(file);
  c.writeInt32LE(d.ids[(r + 1) * F], idsStart + r * F * 4);
  c.writeInt32LE(d.ids[r * F], idsStart + (r + 1) * F * 4);
  return c;
}

const cacheFiles = () => readdirSync(cacheDir).filter((f) => f.endsWith('.embnas'));

describe('dataset cache', () => {
  it('round-trips a dataset with identical arrays on shared memory, and its ground truth', async () => {
    const first = await loadDataset(synthetic(), dir, { cacheDir });
    const second = await loadDataset(synthetic(), dir, { cacheDir });
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expectSameDataset(first.dataset, second.dataset);
    expect(second.dataset.ids.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(second.dataset.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(second.truth).toEqual(first.truth);
    expect(second.stats).toEqual(first.stats);
    const truthFile = first.cacheFile!.replace(/\.embnas$/, '.truth.json');
    expect(JSON.parse(readFileSync(truthFile, 'utf8')).bayesValidAuc).toBe(first.truth!.bayesValidAuc);
    expect(readdirSync(cacheDir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('misses when a setting changes', async () => {
    await loadDataset(synthetic(), dir, { cacheDir });
    for (const over of [{ minCount: 3 }, { split: { seed: 9 } }, { synthetic: { rows: 3000, seed: 6 } }]) {
      expect((await loadDataset(synthetic(over), dir, { cacheDir })).fromCache).toBe(false);
    }
    expect(cacheFiles()).toHaveLength(4);
    expect((await loadDataset(synthetic(), dir, { cacheDir })).fromCache).toBe(true);
  });

  it('misses when the input file changes, even with the same size and mtime', async () => {
    const file = path.join(dir, 'clicks.csv');
    const rows = (flip: boolean) =>
      [
        'y,color,shape',
        ...Array.from(
          { length: 40 },
          (_, i) => `${i % 3 === 0 ? 1 : 0},${(i % 2 === 0) !== flip ? 'red' : 'blue'},s${i % 4}`,
        ),
      ].join('\n') + '\n';
    writeFileSync(file, rows(false));
    const spec = dataSpec({ format: 'csv', path: 'clicks.csv', label: 'y', split: { valid: 0.25, test: 0 } });
    const a = await loadDataset(spec, dir, { cacheDir });
    expect((await loadDataset(spec, dir, { cacheDir })).fromCache).toBe(true);

    const { atime, mtime } = statSync(file);
    writeFileSync(file, rows(true)); // colors swapped: ids keep their pattern, values change
    utimesSync(file, atime, mtime);
    const b = await loadDataset(spec, dir, { cacheDir });
    expect(b.fromCache).toBe(false);
    expect(a.dataset.fields[0].values).toEqual(['red', 'blue']);
    expect(b.dataset.fields[0].values).toEqual(['blue', 'red']);

    // Same bytes count and same mtime: only the content hash can notice.
    const sameSize = readFileSync(file, 'utf8').replace('s1', 's9');
    writeFileSync(file, sameSize);
    utimesSync(file, atime, mtime);
    expect(statSync(file).size).toBe(Buffer.byteLength(sameSize));
    const c = await loadDataset(spec, dir, { cacheDir });
    expect(c.fromCache).toBe(false);
    expect(c.dataset.fields[1].values).toContain('s9');
  });

  it('ignores and rewrites a corrupt, truncated or old-version cache file', async () => {
    const { cacheFile, dataset } = await loadDataset(synthetic(), dir, { cacheDir });
    const good = readFileSync(cacheFile!);
    const damage: ((b: Buffer) => Buffer)[] = [
      (b) => swapTwoIds(b, dataset), // every id still in range: only the checksum notices
      (b) => {
        const c = Buffer.from(b);
        c[c.length - 2] = 0x7f;
        return c;
      }, // a label that is not 0/1
      (b) => b.subarray(0, b.length - 10), // truncated
      (b) => {
        const c = Buffer.from(b);
        c.writeUInt32LE(999, 8);
        return c;
      }, // another format version
      (b) => {
        const c = Buffer.from(b);
        c[20] = 0x7b;
        return c;
      }, // broken header JSON
      () => Buffer.from('not a cache'),
    ];
    for (const hurt of damage) {
      writeFileSync(cacheFile!, hurt(good));
      const again = await loadDataset(synthetic(), dir, { cacheDir });
      expect(again.fromCache).toBe(false);
      expectSameDataset(dataset, again.dataset);
      expect(readFileSync(cacheFile!).equals(good)).toBe(true); // rewritten
    }
  });

  it('still returns the data when the cache folder cannot be written, with a warning', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    writeFileSync(blocker, '');
    const r = await loadDataset(synthetic(), dir, { cacheDir: path.join(blocker, 'cache') });
    expect(r.fromCache).toBe(false);
    expect(r.dataset.numRows).toBe(3000);
    expect(r.cacheWarning).toMatch(/could not write the data cache/);
  });

  it('writes nothing with cache: false', async () => {
    const r = await loadDataset(synthetic({ cache: false }), dir, { cacheDir });
    expect(r.fromCache).toBe(false);
    expect(r.cacheFile).toBeUndefined();
    expect(() => readdirSync(cacheDir)).toThrow();
    expect(r.truth?.rows).toBe(3000);
  });

  it('reads the cache folder from EMBNAS_CACHE_DIR, else .embnas-cache in the working folder', () => {
    const saved = process.env.EMBNAS_CACHE_DIR;
    try {
      process.env.EMBNAS_CACHE_DIR = cacheDir;
      expect(defaultCacheDir()).toBe(cacheDir);
      delete process.env.EMBNAS_CACHE_DIR;
      expect(defaultCacheDir()).toBe(path.join(process.cwd(), '.embnas-cache'));
    } finally {
      if (saved === undefined) delete process.env.EMBNAS_CACHE_DIR;
      else process.env.EMBNAS_CACHE_DIR = saved;
    }
  });

  it('keys on settings regardless of their written order, and on the file edges', () => {
    const file = path.join(dir, 'x.txt');
    writeFileSync(file, 'a'.repeat(3 << 20));
    const fp = fingerprintFile(file);
    const k1 = cacheKey(
      dataSpec({ format: 'csv', path: 'x.txt', label: 'y', minCount: 2, split: { seed: 1, valid: 0.2 } }),
      [fp],
    );
    const k2 = cacheKey(
      dataSpec({
        split: { valid: 0.2, seed: 1 },
        minCount: 2,
        label: 'y',
        path: 'elsewhere',
        format: 'csv',
        cache: false,
      }),
      [fp],
    );
    expect(k2).toBe(k1);
    // a change in the middle of a large file is not seen (by design), one in its last MiB is
    writeFileSync(file, 'a'.repeat(3 << 19) + 'b' + 'a'.repeat((3 << 19) - 1));
    expect(fingerprintFile(file).edges).toBe(fp.edges);
    writeFileSync(file, 'a'.repeat((3 << 20) - 1) + 'b');
    expect(fingerprintFile(file).edges).not.toBe(fp.edges);
  });
});
