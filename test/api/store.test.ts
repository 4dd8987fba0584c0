/** The library's store: by path or file: URL, read-only unless asked, a missing file a user's mistake. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, storePath } from '../../src/api/store.js';
import { isUsageError } from '../../src/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'embnas-api-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isUsageError(e)) return e.toLine();
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('openStore from a script', () => {
  it('opens a database by path to write, and by file: URL (object or text) to read', () => {
    const file = path.join(dir, 'trials.db');
    openStore(file, { write: true }).close();
    for (const location of [pathToFileURL(file), pathToFileURL(file).href]) {
      const store = openStore(location);
      expect(store.file).toBe(file);
      expect(store.listSearches()).toEqual([]);
      store.close();
    }
  });

  it('refuses a missing file when reading, and a URL that is not a file, in one line', () => {
    expect(usageError(() => openStore(path.join(dir, 'none.db')))).toMatch(/none\.db: no such database/);
    expect(usageError(() => storePath('https://example.com/trials.db'))).toMatch(
      /^https:\/\/example\.com\/trials\.db: .*file: URL/,
    );
    expect(storePath('relative/trials.db')).toBe('relative/trials.db');
  });
});
