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

async function usageError(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (isUsageError(e)) return e.toLine();
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('openStore from a script', () => {
  it('opens a database by path to write, and by file: URL (object or text) to read', async () => {
    const file = path.join(dir, 'trials.db');
    await (await openStore(file, { write: true })).close();
    for (const location of [pathToFileURL(file), pathToFileURL(file).href]) {
      const store = await openStore(location);
      expect(store.location).toBe(file);
      expect(await store.listSearches()).toEqual([]);
      await store.close();
    }
  });

  it('refuses a missing file when reading, and a URL that is neither a file nor PostgreSQL, in one line', async () => {
    expect(await usageError(() => openStore(path.join(dir, 'none.db')))).toMatch(/none\.db: no such database/);
    expect(await usageError(() => storePath('https://example.com/trials.db'))).toMatch(
      /^https:\/\/…: .*file: URL or a postgresql:\/\/ URL/,
    );
    expect(storePath('relative/trials.db')).toBe('relative/trials.db');
    expect(storePath('postgresql://me@db.example:5432/embnas')).toBe('postgresql://me@db.example:5432/embnas');
  });
});
