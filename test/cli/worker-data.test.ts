/**
 * `embnas worker` trains a search only on the data its driver loaded: a machine whose copy of the data differs is
 * refused with one line saying what differs, and trains nothing; with the same data it trains the queued trials
 * (SQLite on one machine works as PostgreSQL does across several).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embnas, embnasAsync, queryDb } from '../e2e/cli.js';

let dir: string;
const csv = (rows: number) =>
  [
    'y,user,item',
    ...Array.from({ length: rows }, (_, i) => `${(i * 7) % 3 === 0 ? 1 : 0},u${i % 23},i${(i * 5) % 31}`),
  ].join('\n') + '\n';
const SPACE = [
  'name: clicks',
  'data: { format: csv, path: clicks.csv, label: y, split: { valid: 0.2, test: 0.1, seed: 1 }, cache: false }',
  'features: { dims: [0, 2, 4], normBudgets: [0] }',
  'model: { tower: [8], batchSize: 128, epochs: 1 }',
  'reward: { budgetMB: 1 }',
  'search: { controller: random, trials: 4, batch: 2, seed: 3 }',
].join('\n');

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-worker-data-'));
  for (const [machine, rows] of [
    ['driver', 600],
    ['same', 600],
    ['other', 700],
  ] as const) {
    mkdirSync(path.join(dir, machine));
    writeFileSync(path.join(dir, machine, 'clicks.csv'), csv(rows));
    writeFileSync(path.join(dir, machine, 'space.yaml'), `${SPACE}\n`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embnas worker on another machine', () => {
  it('refuses different data in one line, and trains the search on the same data', async () => {
    const db = path.join(dir, 'trials.db');
    const driver = embnasAsync([
      'run',
      path.join(dir, 'driver', 'space.yaml'),
      '--db',
      db,
      '--workers',
      '0',
      '--no-tui',
    ]);
    let stderr = '';
    driver.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const driverDone = new Promise<number | null>((resolve) => driver.once('exit', resolve));
    // The driver has loaded its data and recorded how it trains.
    for (let i = 0; i < 400 && queryDb(db, `SELECT 1 FROM events WHERE kind = 'training'`).length === 0; i++)
      await new Promise((r) => setTimeout(r, 25));

    const other = path.join(dir, 'other', 'space.yaml');
    const refused = embnas(['worker', '--db', db, '--search', 'clicks', '--space', other]);
    expect(refused.code).toBe(1);
    const errors = refused.stderr.split('\n').filter((l) => l.startsWith('embnas:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /search 'clicks': the data on this machine differs from the data it runs on: .*600 rows then, 700 now/,
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(queryDb(db, `SELECT 1 FROM trials WHERE status != 'queued'`)).toEqual([]);

    cpSync(path.join(dir, 'other', 'space.yaml'), path.join(dir, 'edited.yaml'));
    writeFileSync(path.join(dir, 'edited.yaml'), `${SPACE.replace('trials: 4', 'trials: 5')}\n`);
    const edited = embnas(['worker', '--db', db, '--search', 'clicks', '--space', path.join(dir, 'edited.yaml')]);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/--space .*edited\.yaml: not the space search 'clicks' started with/);

    const same = embnas(['worker', '--db', db, '--search', 'clicks', '--space', path.join(dir, 'same', 'space.yaml')]);
    expect(same.code, same.stderr).toBe(0);
    // Repeats of a trained configuration are answered by the driver from the store (cache hits), not trained again.
    const hits = queryDb<{ n: number }>(db, `SELECT count(*) AS n FROM trials WHERE cache_hit = 1`)[0].n;
    expect(same.stderr).toContain(`worker done: ${4 - hits} trial(s) trained, 0 failed`);
    expect(await driverDone, stderr).toBe(0);
    expect(queryDb(db, `SELECT number FROM trials WHERE status = 'completed'`)).toHaveLength(4);
    const pids = queryDb<{ pid: number }>(db, `SELECT DISTINCT worker_pid AS pid FROM trials WHERE cache_hit = 0`);
    expect(pids).toHaveLength(1);
    expect(pids[0].pid).not.toBe(driver.pid);
  }, 180_000);
});
