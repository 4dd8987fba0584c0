/**
 * The promise of resume: a search killed with SIGKILL at any moment, then resumed, ends with exactly the trials and
 * results of an uninterrupted run with the same seed — none lost, none duplicated.
 */
import { connect } from '../../src/store/sqlite/sqlite-connection.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embnas, embnasAsync } from './cli.js';

const SPACE = 'test/fixtures/tiny-synthetic.yaml';

function trials(db: string) {
  const conn = connect(db, { readonly: true });
  try {
    return conn
      .prepare(
        'SELECT number, status, seed, config, valid_auc AS auc, memory_bytes AS mem, reward, attempts FROM trials ORDER BY number',
      )
      .all() as {
      number: number;
      status: string;
      seed: number;
      config: string;
      auc: number;
      mem: number;
      reward: number;
      attempts: number;
    }[];
  } finally {
    conn.close();
  }
}

function completedCount(db: string): number {
  try {
    const conn = connect(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare("SELECT count(*) AS n FROM trials WHERE status = 'completed'").get() as { n: number }).n;
    } finally {
      conn.close();
    }
  } catch {
    return 0;
  }
}

describe('resume after SIGKILL', () => {
  it('ends with exactly the 12 trials of an uninterrupted run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-kill-'));
    const refDb = path.join(dir, 'ref.db');
    const ref = embnas(['run', SPACE, '--db', refDb, '--workers', '1', '--no-tui']);
    expect(ref.code, ref.stderr).toBe(0);

    const db = path.join(dir, 'killed.db');
    const child = embnasAsync(['run', SPACE, '--db', db, '--workers', '1', '--no-tui']);
    const exited = new Promise((r) => child.on('exit', r));
    const t0 = Date.now();
    while (completedCount(db) < 4 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    const before = completedCount(db);
    expect(before).toBeGreaterThanOrEqual(4);
    expect(before).toBeLessThan(12);

    const resumed = embnas(['resume', 'tiny', '--db', db, '--no-tui']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const got = trials(db);
    const want = trials(refDb);
    expect(got.map((t) => t.number)).toEqual([...Array(12).keys()]);
    expect(got.every((t) => t.status === 'completed')).toBe(true);
    const strip = (ts: typeof got) => ts.map(({ attempts: _a, ...t }) => t);
    expect(strip(got)).toEqual(strip(want));

    const check = connect(db, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    // The same seed with two workers gives the same search.
    const twoDb = path.join(dir, 'two.db');
    const two = embnas(['run', SPACE, '--db', twoDb, '--workers', '2', '--no-tui']);
    expect(two.code, two.stderr).toBe(0);
    expect(strip(trials(twoDb))).toEqual(strip(want));
  }, 300_000);

  it('stops gracefully on SIGINT with exit code 130 and the command that resumes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-int-'));
    const db = path.join(dir, 'int.db');
    const child = embnasAsync(['run', SPACE, '--db', db, '--workers', '1', '--no-tui']);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const t0 = Date.now();
    while (completedCount(db) < 2 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 20));
    const signalledAt = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(out).toContain(`embnas resume tiny --db ${db}`);
    const rows = trials(db);
    expect(rows.filter((t) => t.status === 'running')).toEqual([]);
    const resumed = embnas(['resume', 'tiny', '--db', db, '--no-tui']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(trials(db).filter((t) => t.status === 'completed')).toHaveLength(12);
  }, 300_000);
});
