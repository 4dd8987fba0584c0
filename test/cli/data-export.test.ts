/**
 * `embnas data export` as a user runs it (the built dist/ executable): the files hold exactly the arrays the engine
 * trains on, meta.json describes them, the numpy example of docs/data.md runs on them, and bad --out values are one
 * line each. Also `data inspect` on a file with nothing but a data: section. The numpy example needs a Python with
 * numpy: skipped without one on a user's clone, a failure in CI (test/require.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataFingerprint } from '../../src/data/fingerprint.js';
import type { EncodedDataset } from '../../src/data/encoded-dataset.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { loadDataSpace } from '../../src/space/load-space.js';
import { embnas } from '../e2e/cli.js';
import { readNpy } from '../data/export/read-npy.js';
import { pythonWith, requireOrSkip } from '../require.js';

const PYTHON = pythonWith('numpy');
const hasNumpy = requireOrSkip(
  PYTHON !== undefined,
  'a Python with numpy (the docs/data.md example)',
  'apt-get install python3-numpy, or set PYTHON',
);

const SPACE = path.resolve('test/fixtures/tiny-synthetic.yaml');
const SPLITS = ['train', 'valid', 'test'] as const;
let dir: string;
let dataset: EncodedDataset;
let fingerprint: DataFingerprint;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-data-export-'));
  const loaded = loadDataSpace(SPACE);
  const load = await loadDataset(loaded.space.data, loaded.baseDir);
  dataset = load.dataset;
  fingerprint = load.fingerprint;
});

const width = () => dataset.fields.length;

describe('embnas data export', () => {
  it('writes per split the labels and ids the engine trains on, as .npy, and meta.json', () => {
    const out = path.join(dir, 'npy');
    const r = embnas(['data', 'export', SPACE, '--out', out, '--format', 'npy']);
    expect(r.code, r.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'));
    expect(meta.fields).toEqual(
      dataset.fields.map((f) => ({
        name: f.name,
        rows: f.rows,
        kept: f.kept,
        oovId: f.oovId,
        missingId: f.missingId,
        distinct: f.distinct,
      })),
    );
    expect(meta.fingerprint).toEqual(fingerprint); // the same data as the search would store
    for (const split of SPLITS) {
      const { start, end } = dataset.splits[split];
      expect(meta.splits[split].rows).toBe(end - start);
      const labels = readNpy(readFileSync(path.join(out, `${split}.labels.npy`)));
      const ids = readNpy(readFileSync(path.join(out, `${split}.ids.npy`)));
      expect(labels.descr).toBe('|u1');
      expect(labels.shape).toEqual([end - start]);
      expect(Array.from(labels.values)).toEqual(Array.from(dataset.labels.subarray(start, end)));
      expect(ids.descr).toBe('<i4');
      expect(ids.shape).toEqual([end - start, width()]);
      expect(Array.from(ids.values)).toEqual(Array.from(dataset.ids.subarray(start * width(), end * width())));
    }
    expect(readdirSync(out).sort()).toEqual(
      ['meta.json', ...SPLITS.flatMap((s) => [`${s}.ids.npy`, `${s}.labels.npy`])].sort(),
    );
  });

  it('writes the same rows as CSV with the header label,<field>...', () => {
    const out = path.join(dir, 'csv');
    const r = embnas(['data', 'export', SPACE, '--out', out, '--format', 'csv', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files).toBe('csv');
    for (const split of SPLITS) {
      const { start, end } = dataset.splits[split];
      const lines = readFileSync(path.join(out, `${split}.csv`), 'utf8')
        .trimEnd()
        .split('\n');
      expect(lines[0]).toBe(['label', ...dataset.fields.map((f) => f.name)].join(','));
      expect(lines).toHaveLength(end - start + 1);
      for (const r of [start, Math.floor((start + end) / 2), end - 1]) {
        const expected = [dataset.labels[r], ...dataset.ids.subarray(r * width(), (r + 1) * width())].join(',');
        expect(lines[r - start + 1]).toBe(expected);
      }
    }
  });

  it.skipIf(!hasNumpy)('runs the numpy example of docs/data.md on an export', () => {
    const doc = readFileSync('docs/data.md', 'utf8');
    const block = /<!-- data-export-example[^>]*-->\s*```python\n([\s\S]*?)```/.exec(doc);
    expect(block, 'the marked python block of docs/data.md').not.toBeNull();
    const cwd = mkdtempSync(path.join(tmpdir(), 'embnas-data-example-'));
    const r = embnas(['data', 'export', SPACE, '--out', path.join(cwd, 'frappe-encoded')]);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(path.join(cwd, 'example.py'), block![1]);
    const py = spawnSync(PYTHON!, ['example.py'], { cwd, encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const printed = py.stdout.trim().split('\n');
    expect(printed.map((l) => l.split(' ')[0])).toEqual([...SPLITS]);
    expect(printed[0]).toContain(`(${dataset.splits.train.end - dataset.splits.train.start}, ${width()})`);
  });

  it('refuses a bad --out or --format with one line, before writing anything', () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    const full = path.join(dir, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'keep.txt'), 'mine');
    for (const [args, message] of [
      [['--out', path.join(dir, 'no-such-folder', 'out')], /no-such-folder does not exist/],
      [['--out', file], /a-file: is a file/],
      [['--out', full], /exists and is not empty/],
      [['--out', `/proc/embnas-data-export-${process.pid}`], /cannot write/],
      [['--out', path.join(dir, 'x'), '--format', 'parquet'], /--format: unknown format "parquet"/],
      [[], /--out/],
    ] as const) {
      const r = embnas(['data', 'export', SPACE, ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(readFileSync(path.join(full, 'keep.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('embnas data inspect', () => {
  it('reads a file with only a data: section (no reward:)', () => {
    const file = path.join(dir, 'data-only.yaml');
    writeFileSync(file, 'data:\n  format: synthetic\n  synthetic: { rows: 2000, seed: 3 }\n  cache: false\n');
    const r = embnas(['data', 'inspect', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).numRows).toBe(2000);
    writeFileSync(file, 'data:\n  format: synthetic\n  cahce: false\n');
    const bad = embnas(['data', 'inspect', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/data-only\.yaml:3: data\.cahce: unknown key "cahce"/);
  });
});
