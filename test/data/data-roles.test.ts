/**
 * Files by role (`data.path: { train, valid, test }`): the split comes from the files, and every misuse is one line —
 * a file under two roles too, whatever links or paths lead to it.
 */
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-dataset.js';
import { isUsageError } from '../../src/errors.js';
import { parseSpace } from '../../src/space/load-space.js';
import { dataSpec } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'embnas-roles-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A csv of `colors`, label 1 on every third row. */
function csv(name: string, colors: string[]): void {
  writeFileSync(
    path.join(dir, name),
    ['y,color', ...colors.map((c, i) => `${i % 3 === 0 ? 1 : 0},${c}`)].join('\n') + '\n',
  );
}

async function failure(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (e) {
    expect(isUsageError(e), String(e)).toBe(true);
    expect((e as Error).message.split('\n')).toHaveLength(1);
    return e as Error;
  }
  throw new Error('expected a UsageError');
}

describe('data.path by role', () => {
  it('makes each role file its split, in role order, with a vocabulary from the training file only', async () => {
    csv('train.csv', ['red', 'red', 'blue', 'red', 'blue', 'green']);
    csv('valid.csv', ['red', 'teal', 'teal']);
    csv('test.csv', ['blue', 'plum']);
    const spec = dataSpec({
      format: 'csv',
      label: 'y',
      path: { train: 'train.csv', valid: ['valid.csv'], test: 'test.csv' },
      cache: false,
    });
    const { dataset } = await loadDataset(spec, dir);
    expect(dataset.splits).toEqual({
      train: { start: 0, end: 6 },
      valid: { start: 6, end: 9 },
      test: { start: 9, end: 11 },
    });
    const f = dataset.fields[0];
    expect(f.values).toEqual(['red', 'blue', 'green']);
    // valid: red, teal, teal — teal never trained: OOV; test: blue, plum — plum: OOV
    expect(Array.from(dataset.ids)).toEqual([0, 0, 1, 0, 1, 2, 0, f.oovId, f.oovId, 1, f.oovId]);
    expect(Array.from(dataset.labels.subarray(6))).toEqual([1, 0, 0, 1, 0]);
  });

  it('takes the test role as optional and caches by role', async () => {
    csv('a.csv', ['x', 'y', 'x', 'y']);
    csv('b.csv', ['x', 'y']);
    const spec = dataSpec({ format: 'csv', label: 'y', path: { train: 'a.csv', valid: 'b.csv' } });
    const cacheDir = path.join(dir, 'cache');
    const first = await loadDataset(spec, dir, { cacheDir });
    expect(first.dataset.splits.test).toEqual({ start: 6, end: 6 });
    expect((await loadDataset(spec, dir, { cacheDir })).fromCache).toBe(true);
    // the same two files with their roles swapped are other data
    const swapped = await loadDataset(
      dataSpec({ format: 'csv', label: 'y', path: { train: 'b.csv', valid: 'a.csv' } }),
      dir,
      { cacheDir },
    );
    expect(swapped.fromCache).toBe(false);
    expect(swapped.dataset.splits.train).toEqual({ start: 0, end: 2 });
  });

  it("reads avazu role files that start with data, the columns named by the training file's header", async () => {
    const header =
      'id,click,hour,C1,banner_pos,site_id,site_domain,site_category,app_id,app_domain,app_category,device_id,device_ip,device_model,device_type,device_conn_type,C14,C15,C16,C17,C18,C19,C20,C21';
    const line = (i: number) =>
      [i, i % 2, '14102100', ...Array.from({ length: 21 }, (_, c) => `v${(i + c) % 3}`)].join(',');
    writeFileSync(path.join(dir, 'train.csv'), [header, ...[0, 1, 2, 3, 4, 5].map(line)].join('\n') + '\n');
    writeFileSync(path.join(dir, 'valid.csv'), [6, 7].map(line).join('\n') + '\n');
    writeFileSync(path.join(dir, 'test.csv'), [header, line(8)].join('\n') + '\n');
    const spec = dataSpec({
      format: 'avazu',
      path: { train: 'train.csv', valid: 'valid.csv', test: 'test.csv' },
      cache: false,
    });
    const { dataset } = await loadDataset(spec, dir);
    expect(dataset.splits).toEqual({
      train: { start: 0, end: 6 },
      valid: { start: 6, end: 8 },
      test: { start: 8, end: 9 },
    });
    expect(Array.from(dataset.labels)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0]);
  });

  it('names a missing role file, a file under two roles, and an empty role', async () => {
    csv('a.csv', ['x', 'y', 'x']);
    writeFileSync(path.join(dir, 'empty.csv'), 'y,color\n');
    const load = (p: unknown) => () => loadDataset(dataSpec({ format: 'csv', label: 'y', path: p, cache: false }), dir);
    expect((await failure(load({ train: 'a.csv', valid: ['a2.csv'] }))).message).toMatch(
      /data\.path\.valid\[0\].*a2\.csv/,
    );
    expect((await failure(load({ train: 'a.csv', valid: './a.csv' }))).message).toMatch(
      /data\.path\.valid: \.\/a\.csv is also listed as data\.path\.train/,
    );
    expect((await failure(load({ train: 'a.csv', valid: 'empty.csv' }))).message).toMatch(/empty\.csv/);
  });

  it('refuses the training file under another role through a symbolic or hard link, by device and inode', async () => {
    csv('a.csv', ['x', 'y', 'x']);
    csv('b.csv', ['y', 'x']);
    symlinkSync('a.csv', path.join(dir, 'soft.csv'));
    linkSync(path.join(dir, 'a.csv'), path.join(dir, 'hard.csv'));
    mkdirSync(path.join(dir, 'sub'));
    const load = (p: unknown) => () => loadDataset(dataSpec({ format: 'csv', label: 'y', path: p, cache: false }), dir);
    expect((await failure(load({ train: 'a.csv', valid: 'soft.csv' }))).message).toBe(
      'data.path.valid: soft.csv is the same file as data.path.train (a.csv), through a link',
    );
    expect((await failure(load({ train: 'a.csv', valid: ['b.csv', 'hard.csv'] }))).message).toMatch(
      /^data\.path\.valid\[1\]: hard\.csv is the same file as data\.path\.train \(a\.csv\), through a link$/,
    );
    expect((await failure(load({ train: 'b.csv', valid: 'a.csv', test: 'sub/../soft.csv' }))).message).toMatch(
      /^data\.path\.test: sub\/\.\.\/soft\.csv is the same file as data\.path\.valid \(a\.csv\)/,
    );
    // A list split by fractions would put the same rows in train and valid just the same.
    expect((await failure(load(['a.csv', 'b.csv', 'hard.csv']))).message).toMatch(
      /^data\.path\[2\]: hard\.csv is the same file as data\.path\[0\] \(a\.csv\), through a link$/,
    );
    expect((await failure(load(['a.csv', './a.csv']))).message).toBe(
      'data.path[1]: ./a.csv is also listed as data.path[0]',
    );
    const { dataset } = await loadDataset(
      dataSpec({ format: 'csv', label: 'y', path: { train: 'a.csv', valid: 'b.csv' }, cache: false }),
      dir,
    );
    expect(dataset.numRows).toBe(5);
  });

  it('refuses roles for a format read from one folder, and roles mixed with split fractions', async () => {
    const ml = dataSpec({ format: 'movielens', path: { train: 'a', valid: 'b' } });
    expect((await failure(() => loadDataset(ml, dir))).message).toMatch(/format movielens does not take files by role/);
    const text = [
      'data:',
      '  format: csv',
      '  label: y',
      '  path: { train: a.csv, valid: b.csv }',
      '  split: { valid: 0.2 }',
      'reward: { budgetMB: 1 }',
    ].join('\n');
    expect((await failure(() => parseSpace(text, 'space.yaml'))).message).toMatch(
      /^space\.yaml:5: data\.split: .*roles/,
    );
    const unknownRole = text
      .replace('valid: b.csv', 'valid: b.csv, holdout: c.csv')
      .replace('  split: { valid: 0.2 }\n', '');
    const unknown = (await failure(() => parseSpace(unknownRole, 'space.yaml'))) as Error & { hint?: string };
    expect(unknown.message).toMatch(/^space\.yaml:4: data\.path\.holdout: unknown key "holdout"/);
    expect(unknown.hint).toMatch(/allowed here: train, valid, test/);
  });
});
