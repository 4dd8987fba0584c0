/**
 * The stores every contract test runs against — a SQLite file, SQLite in memory, a PostgreSQL database — behind one
 * harness typed to the TrialStore interface. "Another process" is a second store on the same database (a second
 * connection; for SQLite in memory, a second store object on the same connection). `raw` runs SQL past the API
 * (with `?` placeholders on both databases), for the tests that check the database's own rules.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { openPostgresStore, type PostgresTrialStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteCore } from '../../src/store/sqlite/sqlite-core.js';
import type { OpenStoreOptions } from '../../src/store/store-options.js';
import { openSqliteStore, promising, type SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';
import type { TrialStore } from '../../src/store/trial-store.js';
import { requireOrSkip } from '../require.js';
import { tempDir } from './fixtures.js';
import { freshDatabase, PG_INSTALL, PG_PRESENT, PG_WHAT, startTestServer } from './postgres-server.js';

export interface Harness {
  store: TrialStore;
  another(options?: OpenStoreOptions): Promise<TrialStore>;
  raw(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

export type StoreKind = 'sqlite-file' | 'sqlite-memory' | 'postgres';
export type OpenHarness = (options: OpenStoreOptions) => Promise<Harness>;

function sqliteRaw(store: SqliteTrialStore) {
  return async (sql: string, params: unknown[] = []) => {
    const statement = store.db.prepare(sql);
    if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
    statement.run(...params);
    return [];
  };
}

async function sqliteCleanup(store: SqliteTrialStore): Promise<void> {
  // Every test leaves a database that SQLite itself finds sound.
  expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(store.db.pragma('foreign_key_check')).toEqual([]);
}

const sqliteFile: OpenHarness = async (options) => {
  const { dir, cleanup } = tempDir();
  const file = path.join(dir, 'trials.db');
  const opened = [openSqliteStore(file, options)];
  return {
    store: opened[0],
    another: async (o = options) => opened[opened.push(openSqliteStore(file, o)) - 1],
    raw: sqliteRaw(opened[0]),
    cleanup: async () => {
      await sqliteCleanup(opened[0]);
      opened.forEach((s) => s.core.close());
      cleanup();
    },
  };
};

const sqliteMemory: OpenHarness = async (options) => {
  const store = openSqliteStore(':memory:', options);
  return {
    store,
    another: async (o = options) => promising(new SqliteCore(store.db, ':memory:', o)),
    raw: sqliteRaw(store),
    cleanup: async () => {
      await sqliteCleanup(store);
      store.core.close();
    },
  };
};

/** `?` placeholders as PostgreSQL's $1, $2, … */
export function dollarParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The PostgreSQL server of this test file, started before its tests and stopped after them. */
export function usePostgres(): { url(): string } {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  if (PG_PRESENT) {
    beforeAll(async () => {
      server = await startTestServer();
    }, 120_000);
    afterAll(() => server?.close());
  }
  return {
    url: () => {
      if (!server) throw new Error('the PostgreSQL test server is not running');
      return server.url;
    },
  };
}

function postgres(server: { url(): string }): OpenHarness {
  return async (options) => {
    const db = await freshDatabase(server.url());
    const opened: PostgresTrialStore[] = [await openPostgresStore(db.url, options)];
    const admin = opened[0].conn;
    return {
      store: opened[0],
      another: async (o = options) => opened[opened.push(await openPostgresStore(db.url, o)) - 1],
      raw: (sql, params = []) => admin.run(async (c) => (await c.query(dollarParams(sql), params)).rows),
      cleanup: async () => {
        for (const s of opened) await s.close();
        await db.drop();
      },
    };
  };
}

/**
 * The stores to run a contract against, for describe.each. PostgreSQL is in the list when a server can be had; when
 * not, this registers the test that says what to install (a failure under EMBNAS_REQUIRE_ALL=1, test/require.ts).
 */
export function storeKinds(): [StoreKind, OpenHarness][] {
  const kinds: [StoreKind, OpenHarness][] = [
    ['sqlite-file', sqliteFile],
    ['sqlite-memory', sqliteMemory],
  ];
  if (requireOrSkip(PG_PRESENT, PG_WHAT, PG_INSTALL)) kinds.push(['postgres', postgres(usePostgres())]);
  return kinds;
}

/** Awaits `promise` and checks that it failed with a UsageError whose line matches. */
export async function expectUsageError(promise: Promise<unknown> | (() => unknown), pattern: RegExp): Promise<void> {
  let thrown: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    thrown = e;
  }
  expect(isUsageError(thrown), `expected a UsageError, got ${String(thrown)}`).toBe(true);
  expect((thrown as Error & { toLine(): string }).toLine()).toMatch(pattern);
}
