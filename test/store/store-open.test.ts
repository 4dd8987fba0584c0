/**
 * Opening SQLite files: the connection's pragmas, migrations (once, forward, keeping the data), and files that are not
 * (or not yet, or no longer) embnas databases — always a UsageError naming the file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { connect } from '../../src/store/sqlite/sqlite-connection.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore as openStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeConfig, makeSearch, tempDir } from './fixtures.js';
import { thrownUsageError } from '../usage-error.js';

const usageLine = (fn: () => unknown): string => thrownUsageError(fn).toLine();

/** A database file at schema `version` (the first `version` migrations) holding one running search, "old". */
function oldFile(file: string, version: number): Database.Database {
  const raw = connect(file);
  migrate(raw, file, MIGRATIONS.slice(0, version));
  raw
    .prepare(
      `INSERT INTO searches (name, space_path, space_text, space_hash, seed, trials_budget, status, created_at)
       VALUES ('old', 's.yaml', 'name: old', 'h', 1, 4, 'running', 0)`,
    )
    .run();
  return raw;
}

describe('openStore on a file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('refuses a file that is not a SQLite database', () => {
    const file = path.join(dir, 'notes.db');
    writeFileSync(file, 'user,item,click\n'.repeat(100));
    expect(usageLine(() => openStore(file))).toMatch(/notes\.db is not a SQLite database/);
  });

  it('refuses a SQLite database that is not an embnas one', () => {
    const file = path.join(dir, 'other.db');
    const other = connect(file);
    other.exec('CREATE TABLE things (x)');
    other.close();
    expect(usageLine(() => openStore(file))).toMatch(/other\.db is a SQLite database but not an embnas/);
  });

  it('refuses a database from a newer embnas and leaves it untouched', () => {
    const file = path.join(dir, 'trials.db');
    openStore(file).core.close();
    const raw = connect(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 3}`);
    raw.close();
    expect(usageLine(() => openStore(file))).toMatch(
      new RegExp(`trials\\.db was written by a newer embnas \\(schema ${LATEST_SCHEMA_VERSION + 3}.*upgrade embnas`),
    );
    const check = connect(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 3);
    check.close();
  });

  it('migrates a schema-2 file with an owner to run ids: the owner is kept, without a run id', async () => {
    const file = path.join(dir, 'v2.db');
    const raw = connect(file);
    migrate(raw, file, MIGRATIONS.slice(0, 2));
    raw
      .prepare(
        `INSERT INTO searches (name, space_path, space_text, space_hash, seed, trials_budget, status, owner_pid, owner_host, heartbeat_at, created_at)
       VALUES ('old', 's.yaml', 'name: old', 'h', 1, 4, 'running', 4242, 'far', 0, 0)`,
      )
      .run();
    raw.close();
    const store = openStore(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect((await store.getSearch('old')).owner).toEqual({ pid: 4242, host: 'far', heartbeatAt: 0, alive: false });
    await store.acquire((await store.getSearch('old')).id, { pid: process.pid, host: 'here' });
    expect((await store.getSearch('old')).owner).toMatchObject({
      pid: process.pid,
      run: expect.any(String),
      alive: true,
    });
    await store.close();
  });

  it('migrates a schema-3 file with trials to the queue: old trials read as undispatched, without worker or progress', async () => {
    const file = path.join(dir, 'v3.db');
    const raw = oldFile(file, 3);
    const insert = raw.prepare(
      `INSERT INTO trials (search_id, number, config, config_key, seed, status, queued_at) VALUES (1, ?, ?, 'k', 1, ?, 0)`,
    );
    insert.run(0, JSON.stringify(makeConfig([4])), 'queued');
    insert.run(1, JSON.stringify(makeConfig([8])), 'running');
    raw.close();
    const store = openStore(file, { host: 'here' });
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    const trials = await store.listTrials(1);
    expect(trials.map((t) => [t.status, t.worker, t.progress, t.dispatched])).toEqual([
      ['queued', null, null, false],
      ['running', null, null, false],
    ]);
    expect(await store.claimTrial({ host: 'far', pid: 7, run: 'r' })).toBeUndefined();
    // A running trial without a claimant (an old row) is the owner's to recover.
    expect((await store.recoverInterrupted(1)).map((t) => [t.number, t.status, t.attempts])).toEqual([
      [1, 'queued', 2],
    ]);
    await store.close();
  });

  it('migrates a schema-4 file with a claim in flight to claim tokens: the claim is kept, the next one has a token', async () => {
    const file = path.join(dir, 'v4.db');
    const raw = oldFile(file, 4);
    const insert = raw.prepare(
      `INSERT INTO trials (search_id, number, config, config_key, seed, status, queued_at, dispatched, worker_host,
         worker_pid, worker_run, claim_heartbeat_at) VALUES (1, ?, ?, 'k', 1, ?, 0, 1, ?, ?, ?, ?)`,
    );
    insert.run(0, JSON.stringify(makeConfig([4])), 'running', 'far', 7, 'far-run', 0);
    insert.run(1, JSON.stringify(makeConfig([8])), 'queued', null, null, null, null);
    raw.close();
    const store = openStore(file, { host: 'here' });
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    const tokens = () => store.db.prepare('SELECT number, claim_token FROM trials ORDER BY number').all();
    expect(tokens()).toEqual([
      { number: 0, claim_token: null },
      { number: 1, claim_token: null },
    ]);
    const far = { host: 'far', pid: 7, run: 'far-run' };
    expect(await store.getTrial(1, 0)).toMatchObject({ status: 'running', worker: far, dispatched: true });
    expect(await store.claimTrial({ host: 'far', pid: 8, run: 'r' })).toMatchObject({ number: 1, status: 'running' });
    expect(tokens()).toEqual([
      { number: 0, claim_token: null },
      { number: 1, claim_token: expect.any(String) },
    ]);
    // The claim from before the migration is still its claimant's to finish.
    const outcome = { number: 0, status: 'failed' as const, error: 'NaN loss' };
    expect(await store.completeClaimed(1, far, outcome)).toBe(true);
    await store.close();
  });

  it('sets the connection pragmas, and migrates once: opening again changes nothing and keeps the data', async () => {
    const file = path.join(dir, 'trials.db');
    const store = openStore(file);
    const db = store.db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    const search = await store.createSearch(makeSearch('s'));
    await store.enqueueTrials(search.id, [{ number: 0, config: makeConfig([2]), seed: 0 }]);
    const schema = () => db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
    const before = schema();
    expect(migrate(db, file)).toEqual([]);
    const again = openStore(file);
    expect((await again.getSearch(search.id)).name).toBe('s');
    expect((await again.listTrials(search.id)).map((t) => t.number)).toEqual([0]);
    expect(schema()).toEqual(before);
    await again.close();
    const memory = openStore(':memory:');
    expect(memory.db.pragma('journal_mode', { simple: true })).toBe('memory');
    await memory.close();
    await store.close();
  });

  it('names a missing file when it must exist, and a missing folder', () => {
    expect(usageLine(() => openStore(path.join(dir, 'absent.db'), { mustExist: true }))).toMatch(
      /absent\.db does not exist.*embnas run/,
    );
    expect(usageLine(() => openStore(path.join(dir, 'no', 'such', 'trials.db')))).toMatch(
      /cannot create .*trials\.db.*folder exists and is writable/,
    );
  });

  it('persists across reopen and accepts an empty file as a new database', async () => {
    const file = path.join(dir, 'empty.db');
    writeFileSync(file, '');
    const store = openStore(file);
    await store.createSearch(makeSearch('kept'));
    await store.close();
    const again = openStore(file, { mustExist: true });
    expect((await again.listSearches()).map((s) => s.name)).toEqual(['kept']);
    await again.close();
  });
});

describe('openStore read-only (list, show, export)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('1. reads a current database through a read-only connection that cannot write', async () => {
    const file = path.join(dir, 'trials.db');
    const writer = openStore(file);
    await writer.createSearch(makeSearch('kept'));
    await writer.close();
    const reader = openStore(file, { readonly: true });
    expect(reader.db.readonly).toBe(true);
    expect((await reader.listSearches()).map((s) => s.name)).toEqual(['kept']);
    expect((await reader.getSummary('kept')).name).toBe('kept');
    await expect(reader.createSearch(makeSearch('other'))).rejects.toThrow(/readonly/);
    await reader.close();
  });

  it('2. reads a WAL database from an in-memory copy when its -shm cannot be created', async () => {
    // A read-only folder cannot be made as root; the copy is what openStore falls back to there (see open-database.ts).
    const file = path.join(dir, 'trials.db');
    const writer = openStore(file);
    await writer.createSearch(makeSearch('kept'));
    await writer.close();
    const copy = readFileSync(file);
    expect([copy[18], copy[19]]).toEqual([2, 2]);
    copy[18] = copy[19] = 1;
    const db = connect(copy, { readonly: true });
    expect(db.prepare('SELECT name FROM searches').all()).toEqual([{ name: 'kept' }]);
    db.close();
  });

  it('3. refuses a database that needs a migration, and leaves it untouched', () => {
    const file = path.join(dir, 'old.db');
    openStore(file).core.close();
    const raw = connect(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION - 1}`);
    raw.close();
    expect(usageLine(() => openStore(file, { readonly: true }))).toMatch(
      new RegExp(
        `old\\.db has an older schema \\(version ${LATEST_SCHEMA_VERSION - 1}.*this command only reads — .*embnas resume <search> --db`,
      ),
    );
    const check = connect(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION - 1);
    check.close();
  });

  it('4. refuses an empty file and a missing one without creating anything', () => {
    const empty = path.join(dir, 'empty.db');
    writeFileSync(empty, '');
    expect(usageLine(() => openStore(empty, { readonly: true }))).toMatch(
      /empty\.db holds no searches yet — start one with `embnas run/,
    );
    expect(readFileSync(empty)).toHaveLength(0);
    const absent = path.join(dir, 'absent.db');
    expect(usageLine(() => openStore(absent, { readonly: true }))).toMatch(/absent\.db does not exist/);
    expect(existsSync(absent)).toBe(false);
  });
});
