/**
 * What only the PostgreSQL store has: opening by URL (and never showing its password), the schema in embnas_meta
 * migrated once under an advisory lock, claims that skip a row another claimer holds, and reconnection — a call
 * made while the server restarts completes once it is back (promise 19).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUsageError } from '../../src/errors.js';
import { DB_RETRY_ENV, retryMsFromEnv } from '../../src/store/postgres/connection.js';
import { migratePg, PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../src/store/postgres/pg-schema.js';
import { isPostgresUrl, redactUrl } from '../../src/store/postgres/pg-url.js';
import { openPostgresStore, PostgresTrialStore } from '../../src/store/postgres/postgres-store.js';
import { openStore } from '../../src/store/open-store.js';
import { SqliteCore } from '../../src/store/sqlite/sqlite-core.js';
import type { SqliteTrialStore } from '../../src/store/sqlite/sqlite-store.js';
import { requireOrSkip } from '../require.js';
import { makeConfig, makeSearch } from './fixtures.js';
import {
  freshDatabase,
  LocalCluster,
  PG_INSTALL,
  PG_PRESENT,
  PG_WHAT,
  postgresBin,
  withDatabase,
} from './postgres-server.js';
import { dollarParams, expectUsageError, usePostgres } from './store-harness.js';
import pg from 'pg';

const WORKER = { host: 'far', pid: 7, run: 'far-run' };

describe('PostgreSQL locations', () => {
  it('tells URLs from files and redacts a password wherever it is', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('trials.db')).toBe(false);
    expect(isPostgresUrl(':memory:')).toBe(false);
    expect(redactUrl('postgresql://bob:s3cr%40t@db.example:5433/embnas')).toBe(
      'postgresql://bob:***@db.example:5433/embnas',
    );
    expect(redactUrl('postgres://bob@h/db?password=s3cret&sslmode=require')).toBe(
      'postgres://bob@h/db?password=***&sslmode=require',
    );
    expect(redactUrl('postgresql://h:5432/db')).toBe('postgresql://h:5432/db');
    expect(redactUrl('postgresql://bob:s3 cret@[bad/db')).not.toContain('s3 cret');
  });

  it(`reads ${DB_RETRY_ENV} in seconds, 120 by default, and refuses nonsense`, () => {
    expect(retryMsFromEnv({})).toBe(120_000);
    expect(retryMsFromEnv({ [DB_RETRY_ENV]: '2.5' })).toBe(2500);
    expect(() => retryMsFromEnv({ [DB_RETRY_ENV]: 'soon' })).toThrow(/EMBNAS_DB_RETRY_S=soon/);
  });

  it('opens anything else as a SQLite store', async () => {
    const store = await openStore(':memory:');
    expect((store as SqliteTrialStore).core).toBeInstanceOf(SqliteCore);
    await store.close();
  });
});

if (requireOrSkip(PG_PRESENT, PG_WHAT, PG_INSTALL)) {
  describe('PostgreSQL store', () => {
    const server = usePostgres();
    const secretUrl = (url: string) => {
      const u = new URL(url);
      u.password = 's3cret-pw'; // the test cluster trusts every local login: any password is accepted
      return u.toString();
    };

    it('opens a URL, and shows it everywhere without its password', async () => {
      const db = await freshDatabase(server.url());
      const store = await openStore(secretUrl(db.url));
      expect(store).toBeInstanceOf(PostgresTrialStore);
      expect(store.location).toMatch(/^postgresql:\/\/embnas:\*\*\*@127\.0\.0\.1:\d+\/embnas_test_/);
      let line = '';
      await store.getSearch('nope').catch((e) => (line = e.toLine()));
      expect(line).toMatch(/no search 'nope' in postgresql:\/\/embnas:\*\*\*@/);
      await store.close();
      const nowhere = secretUrl(withDatabase(server.url().replace(/:\d+\//, ':1/'), 'x'));
      const refused = await openPostgresStore(nowhere, { retryMs: 300 }).catch((e: unknown) => e);
      expect(isUsageError(refused)).toBe(true);
      expect((refused as Error & { toLine(): string }).toLine()).toMatch(
        /^cannot reach the database postgresql:\/\/embnas:\*\*\*@127\.0\.0\.1:1\/x .*is the database server running\?/,
      );
      expect(String((refused as Error & { toLine(): string }).toLine())).not.toContain('s3cret-pw');
      await db.drop();
    });

    it('migrates once, even when two processes open a fresh database together; refuses newer and foreign ones', async () => {
      const db = await freshDatabase(server.url());
      const both = await Promise.all([openPostgresStore(db.url), openPostgresStore(db.url)]);
      const version = () => both[0].conn.run(async (c) => (await c.query('SELECT version FROM embnas_meta')).rows);
      expect(await version()).toEqual([{ version: PG_SCHEMA_VERSION }]);
      const again = await openPostgresStore(db.url);
      await again.close();
      expect(await version()).toEqual([{ version: PG_SCHEMA_VERSION }]);
      await both[0].conn.run((c) => c.query('UPDATE embnas_meta SET version = $1', [PG_SCHEMA_VERSION + 1]));
      await expectUsageError(
        openPostgresStore(secretUrl(db.url)),
        new RegExp(`:\\*\\*\\*@.* was written by a newer embnas \\(schema ${PG_SCHEMA_VERSION + 1}.*upgrade embnas`),
      );
      for (const s of both) await s.close();
      await db.drop();
      const foreign = await freshDatabase(server.url());
      const client = new pg.Client({ connectionString: foreign.url });
      await client.connect();
      await client.query('CREATE TABLE trials (x int)');
      await client.end();
      await expectUsageError(openPostgresStore(foreign.url), /not an embnas trial database/);
      await foreign.drop();
    });

    it('migrates a schema-1 database with a claim in flight to claim tokens: the claim is kept, the next one has a token', async () => {
      const db = await freshDatabase(server.url());
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('BEGIN');
      expect(await migratePg(client, 'v1', PG_MIGRATIONS.slice(0, 1))).toEqual([1]);
      await client.query('COMMIT');
      await client.query(
        `INSERT INTO searches (name, space_path, space_text, space_hash, seed, trials_budget, status, created_at)
         VALUES ('old', 's.yaml', 'name: old', 'h', 1, 4, 'running', 0)`,
      );
      const insert = `INSERT INTO trials (search_id, number, config, config_key, seed, status, queued_at, dispatched,
        worker_host, worker_pid, worker_run, claim_heartbeat_at) VALUES (1, $1, $2, 'k', 1, $3, 0, 1, $4, $5, $6, $7)`;
      await client.query(insert, [0, JSON.stringify(makeConfig([4])), 'running', 'far', 7, 'far-run', 0]);
      await client.query(insert, [1, JSON.stringify(makeConfig([8])), 'queued', null, null, null, null]);
      const store = await openPostgresStore(db.url);
      expect((await client.query('SELECT version FROM embnas_meta')).rows).toEqual([{ version: PG_SCHEMA_VERSION }]);
      const tokens = async () =>
        (await client.query('SELECT number, claim_token FROM trials ORDER BY number')).rows as unknown[];
      expect(await tokens()).toEqual([
        { number: 0, claim_token: null },
        { number: 1, claim_token: null },
      ]);
      expect(await store.getTrial(1, 0)).toMatchObject({ status: 'running', worker: WORKER, dispatched: true });
      expect(await store.claimTrial({ ...WORKER, pid: 8 })).toMatchObject({ number: 1, status: 'running' });
      expect(await tokens()).toEqual([
        { number: 0, claim_token: null },
        { number: 1, claim_token: expect.any(String) },
      ]);
      // The claim from before the migration is still its claimant's to finish.
      expect(await store.completeClaimed(1, WORKER, { number: 0, status: 'failed', error: 'NaN loss' })).toBe(true);
      await client.end();
      await store.close();
      await db.drop();
    });

    it('opens read-only: reads a current database, writes nothing, refuses an empty one', async () => {
      const db = await freshDatabase(server.url());
      await expectUsageError(openPostgresStore(db.url, { readonly: true }), /holds no searches yet/);
      const writer = await openPostgresStore(db.url);
      await writer.createSearch(makeSearch('kept'));
      const reader = await openPostgresStore(db.url, { readonly: true });
      expect((await reader.listSearches()).map((s) => s.name)).toEqual(['kept']);
      await expect(reader.createSearch(makeSearch('other'))).rejects.toThrow(/read-only transaction/);
      await reader.close();
      await writer.close();
      await db.drop();
    });

    it('19. a transaction that loses its connection midway is retried whole; an error of the contract is not', async () => {
      const db = await freshDatabase(server.url());
      const store = await openPostgresStore(db.url, { retryMs: 10_000 });
      const s = await store.createSearch(makeSearch('whole'));
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      let attempts = 0;
      await store.conn.transaction(async (c) => {
        attempts++;
        await c.query(`INSERT INTO events (search_id, at, kind) VALUES ($1, 0, $2)`, [s.id, `attempt ${attempts}`]);
        if (attempts > 1) return;
        const { rows } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
        await c.query('SELECT 1');
      });
      await admin.end();
      expect(attempts).toBe(2);
      expect((await store.events(s.id)).map((e) => e.kind)).toEqual(['search_created', 'attempt 2']);
      let tries = 0;
      const refused = store.conn.transaction(async () => {
        tries++;
        throw new Error('not a connection problem');
      });
      await expect(refused).rejects.toThrow(/not a connection problem/);
      expect(tries).toBe(1);
      await expectUsageError(store.getSearch('123456789012345678901234'), /no search '123456789012345678901234'/);
      await store.close();
      await db.drop();
    });

    it('13. a claim skips the trial another claimer holds locked instead of taking it too', async () => {
      const db = await freshDatabase(server.url());
      const store = await openPostgresStore(db.url);
      const s = await store.createSearch(makeSearch('locked'));
      const trials = [0, 1].map((number) => ({ number, config: makeConfig([number + 1]), seed: number }));
      await store.enqueueTrials(s.id, trials);
      await store.dispatchTrials(s.id, [0, 1]);
      // Another claimer mid-claim: trial 0 marked running, not yet committed.
      const rival = new pg.Client({ connectionString: db.url });
      await rival.connect();
      await rival.query('BEGIN');
      await rival.query(dollarParams(`UPDATE trials SET status = 'running' WHERE search_id = ? AND number = 0`), [
        s.id,
      ]);
      const claim = store.claimTrial(WORKER);
      const commitLater = new Promise((resolve) => setTimeout(resolve, 300)).then(() => rival.query('COMMIT'));
      expect((await claim)?.number).toBe(1);
      await commitLater;
      await rival.end();
      expect(await store.claimTrial(WORKER)).toBeUndefined();
      await store.close();
      await db.drop();
    });
  });
}

const bin = postgresBin();
if (requireOrSkip(bin !== undefined, 'PostgreSQL server binaries (initdb, pg_ctl)', PG_INSTALL)) {
  describe('PostgreSQL store across a server restart (promise 19)', () => {
    let cluster: LocalCluster;
    beforeAll(async () => {
      cluster = await LocalCluster.create(bin!);
    }, 120_000);
    afterAll(() => cluster?.destroy());

    it('19. a call made while the server is down completes once it is back; without a server, a UsageError', async () => {
      const db = await freshDatabase(cluster.url);
      const store = await openPostgresStore(db.url, { retryMs: 30_000 });
      const s = await store.createSearch(makeSearch('survives'));
      await cluster.stop();
      // A read and a transaction, both made during the outage.
      const read = store.getSummary(s.id);
      const trials = [0, 1].map((number) => ({ number, config: makeConfig([number + 1]), seed: number }));
      const write = store.enqueueTrials(s.id, trials);
      const impatient = await openPostgresStore(db.url, { retryMs: 500 }).catch((e: unknown) => e);
      expect(isUsageError(impatient) && impatient.toLine()).toMatch(/cannot reach the database .*server running\?/);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await cluster.start();
      expect((await read).name).toBe('survives');
      await write;
      expect((await store.listTrials(s.id)).map((t) => [t.number, t.status])).toEqual([
        [0, 'queued'],
        [1, 'queued'],
      ]);
      await store.close();
      await db.drop();
    });
  });
}
