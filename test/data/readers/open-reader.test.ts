import { afterAll, describe, expect, it } from 'vitest';
import { openReader } from '../../../src/data/readers/index.js';
import { removeDir, spec, tempDir, usageError, writeLines } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));

describe('openReader', () => {
  it('has no reader for synthetic data', async () => {
    const err = await usageError(() => openReader(spec({ format: 'synthetic' }), dir));
    expect(err.message).toContain('synthetic');
  });

  it('needs data.path', async () => {
    expect((await usageError(() => openReader(spec({ format: 'criteo' }), dir))).message).toBe(
      'data.path is required for format criteo',
    );
  });

  it('names a missing file, with its position in a list', async () => {
    writeLines(dir, 'here.txt', ['1 1:1']);
    const one = await usageError(() => openReader(spec({ format: 'libfm', path: 'gone.libfm', fields: ['a'] }), dir));
    expect(one.message).toMatch(/^data\.path: file not found: .*gone\.libfm$/);
    const list = await usageError(() =>
      openReader(spec({ format: 'libfm', path: ['here.txt', 'gone.libfm'], fields: ['a'] }), dir),
    );
    expect(list.message).toMatch(/^data\.path\[1\]: file not found: .*gone\.libfm$/);
    const folder = await usageError(() => openReader(spec({ format: 'libfm', path: '.', fields: ['a'] }), dir));
    expect(folder.message).toMatch(/not a file/);
  });

  it('resolves relative paths against the base folder', async () => {
    writeLines(dir, 'sub/x.libfm', ['1 1:1']);
    const stats = await openReader(spec({ format: 'libfm', path: 'x.libfm', fields: ['a'] }), `${dir}/sub`).read({
      row() {},
    });
    expect(stats.rows).toBe(1);
  });

  it('refuses csv options under another format instead of ignoring them', async () => {
    writeLines(dir, 'c.txt', ['1 1:1']);
    const err = await usageError(() =>
      openReader(spec({ format: 'libfm', path: 'c.txt', fields: ['a'], delimiter: ';' }), dir),
    );
    expect(err.message).toBe('data.delimiter: only format csv uses this option, not libfm');
  });

  it('refuses a dataset whose rows were all bad, saying so', async () => {
    writeLines(dir, 'allbad.libfm', ['7 1:1', '8 1:1']);
    const reader = openReader(spec({ format: 'libfm', path: 'allbad.libfm', fields: ['a'], onBadRow: 'skip' }), dir);
    const err = await usageError(() => reader.read({ row() {} }));
    expect(err.message).toMatch(/no data rows \(all 2 rows were bad and skipped; first: .*allbad\.libfm:1: label '7'/);
  });
});
