/**
 * The writing side of `embnas data export`, in process: .npy headers as numpy expects them, rows across write chunks,
 * an empty split, field names that need quoting in the CSV header, and the fingerprint copied into meta.json.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeReader } from '../../../src/data/encode-reader.js';
import { exportDataset } from '../../../src/data/export/export-dataset.js';
import type { DataFingerprint } from '../../../src/data/fingerprint.js';
import { npyHeader } from '../../../src/data/export/npy.js';
import { arrayReader, dataSpec, indexReader } from '../helpers.js';
import { readNpy } from './read-npy.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'embnas-export-dataset-'));

describe('npy header', () => {
  it('is a v1.0 header padded to a multiple of 64 bytes, ending in a newline, with the shape as a tuple', () => {
    for (const shape of [[0], [7], [70_001, 3], [12, 0]]) {
      const h = npyHeader('<i4', shape);
      expect(h.length % 64).toBe(0);
      expect(h[h.length - 1]).toBe(0x0a);
      expect(h.readUInt16LE(8)).toBe(h.length - 10);
      const text = h.subarray(10).toString('latin1');
      expect(text).toContain(`'shape': (${shape.length === 1 ? `${shape[0]},` : shape.join(', ')})`);
    }
  });
});

describe('exportDataset', () => {
  it('streams more rows than one write chunk and keeps every split in order', async () => {
    const n = 150_000;
    const { dataset } = await encodeReader(
      indexReader(n),
      dataSpec({ format: 'csv', split: { valid: 0.3, test: 0.2, seed: 4 } }),
      'rows',
    );
    const out = path.join(tmp(), 'out');
    const meta = exportDataset({ dataset }, out, 'npy');
    let total = 0;
    for (const split of ['train', 'valid', 'test'] as const) {
      const { start, end } = dataset.splits[split];
      const ids = readNpy(readFileSync(path.join(out, `${split}.ids.npy`)));
      expect(ids.shape).toEqual([end - start, 1]);
      expect(ids.dataOffset % 64).toBe(0);
      expect(ids.values).toEqual(dataset.ids.slice(start, end));
      expect(readNpy(readFileSync(path.join(out, `${split}.labels.npy`))).values).toEqual(
        Uint8Array.from(dataset.labels.subarray(start, end)),
      );
      total += meta.splits[split].rows;
    }
    expect(total).toBe(n);
  });

  it('writes an empty test split, quotes odd field names, and copies the fingerprint', async () => {
    const reader = arrayReader(
      ['a,b', 'say "x"'],
      [
        [1, 'p', 'q'],
        [0, 'p', null],
        [1, 'r', 'q'],
        [0, null, 'q'],
      ],
    );
    const { dataset } = await encodeReader(
      reader,
      dataSpec({ format: 'csv', split: { valid: 0.25, test: 0 } }),
      'four rows',
    );
    const fingerprint: DataFingerprint = {
      files: [{ path: 'four.csv', size: 12, mtimeMs: 1, edges: 'abc' }],
      rows: 4,
      splits: { train: 3, valid: 1, test: 0 },
      content: 'def',
    };
    const out = path.join(tmp(), 'out');
    const meta = exportDataset({ dataset, fingerprint }, out, 'csv');
    expect(JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'))).toEqual(meta);
    expect(meta.fingerprint).toEqual(fingerprint);
    expect(meta.splits.test).toEqual({ rows: 0, files: ['test.csv'] });
    expect(readFileSync(path.join(out, 'test.csv'), 'utf8')).toBe('label,"a,b","say ""x"""\n');
    const train = readFileSync(path.join(out, 'train.csv'), 'utf8').trimEnd().split('\n');
    const { start, end } = dataset.splits.train;
    expect(train.slice(1)).toEqual(
      Array.from({ length: end - start }, (_, i) =>
        [dataset.labels[start + i], dataset.ids[2 * (start + i)], dataset.ids[2 * (start + i) + 1]].join(','),
      ),
    );
  });

  it('writes into an existing empty folder', async () => {
    const { dataset } = await encodeReader(
      indexReader(10),
      dataSpec({ format: 'csv', split: { valid: 0.2, test: 0.2 } }),
      'rows',
    );
    const out = tmp();
    exportDataset({ dataset }, out, 'npy');
    expect(readdirSync(out).sort()).toEqual([
      'meta.json',
      'test.ids.npy',
      'test.labels.npy',
      'train.ids.npy',
      'train.labels.npy',
      'valid.ids.npy',
      'valid.labels.npy',
    ]);
  });

  it('leaves nothing behind when it cannot write', async () => {
    const { dataset } = await encodeReader(
      indexReader(10),
      dataSpec({ format: 'csv', split: { valid: 0.2, test: 0.2 } }),
      'rows',
    );
    const parent = tmp();
    expect(() => exportDataset({ dataset }, path.join(parent, 'missing', 'out'), 'npy')).toThrow(/does not exist/);
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(path.join(parent, 'missing'))).toBe(false);
  });
});
