/**
 * Helpers of the end-to-end tests of a search trained by several processes (a driver and `embnas worker`s standing in
 * for machines): a PostgreSQL server and a fresh database per test file, a child's exit with its stderr, the trials of
 * a database as the store reads them, and what of a trial must not depend on who trained it.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { TrialRecord } from '../../src/store/trial-store.js';
import { freshDatabase, startTestServer } from '../store/postgres-server.js';
import { embnas } from './cli.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Resolves when the child exits; its stderr is collected from now on. */
export function exited(child: ChildProcess): Promise<Exit> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** The trials of the (only) search of a database, by number; [] before it exists. */
export async function trials(db: string): Promise<TrialRecord[]> {
  const store = await openStore(db);
  try {
    const [search] = await store.listSearches();
    return search ? await store.listTrials(search.id, { orderBy: 'number' }) : [];
  } finally {
    await store.close();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What must not depend on who trained a trial, or when. */
export const outcome = (t: TrialRecord) => ({
  number: t.number,
  config: t.config,
  auc: t.result?.validAuc,
  reward: t.reward,
  cacheHit: t.cacheHit,
});

/** The same search in one process on SQLite, with the wasm backend the fleets use. */
export async function oneProcess(dir: string, space: string): Promise<TrialRecord[]> {
  const sqlite = path.join(dir, 'one.db');
  const one = embnas(['run', space, '--db', sqlite, '--backend', 'wasm', '--workers', '1', '--no-tui']);
  expect(one.code, one.stderr).toBe(0);
  return trials(sqlite);
}

/**
 * A folder with the space file, and (from beforeAll on) a PostgreSQL server with a fresh database; all removed after
 * the file's tests. Call inside the describe of a file that requireOrSkip'ed PostgreSQL.
 */
export function fleetSetup(label: string, spaceText: string) {
  const dir = mkdtempSync(path.join(tmpdir(), `embnas-${label}-`));
  const space = path.join(dir, 'space.yaml');
  writeFileSync(space, spaceText);
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    database = await freshDatabase(server.url);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, space, db: () => database!.url, server: () => server! };
}
