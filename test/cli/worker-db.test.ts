/**
 * `embnas worker` never creates a database (src/search/remote-worker.ts): a misspelt --db is one line and exit 1,
 * and leaves no file behind, where it used to create an empty database and wait on it forever.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embnas } from '../e2e/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-worker-db-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embnas worker --db', () => {
  it('refuses a file that does not exist in one line, and creates nothing', () => {
    const db = path.join(dir, 'no-such.db');
    const r = embnas(['worker', '--db', db]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe(
      `embnas: trial database ${db} does not exist, and a worker never creates one — a worker serves the searches of ` +
        '`embnas run --db <the same location>`: pass that location (check its spelling)\n',
    );
    expect(existsSync(db)).toBe(false);
    const fromEnv = embnas(['worker', '--search', 'x'], { EMBNAS_DB: path.join(dir, 'typo.db') });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toMatch(/^embnas: trial database .*typo\.db does not exist, and a worker never creates one/);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);

  it('refuses an in-memory database, which no driver can share', () => {
    const r = embnas(['worker', '--db', ':memory:']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^embnas: --db :memory: is a database of one process alone, which a worker cannot share/);
  }, 60_000);
});
