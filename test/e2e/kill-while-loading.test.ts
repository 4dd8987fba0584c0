/**
 * The search row comes before the data (src/search/start-search.ts): a search killed or interrupted while its data is
 * still loading is resumable, and running the same `embnas run` command again continues it. The space here has
 * enough synthetic rows for loading to take about a second; each test stops the run once the search row exists and
 * checks the data had not been fingerprinted yet (it was still loading).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embnas, embnasAsync, queryDb } from './cli.js';

function slowSpace(dir: string): string {
  const file = path.join(dir, 'slow.yaml');
  writeFileSync(file, readFileSync('test/fixtures/tiny-synthetic.yaml', 'utf8').replace('rows: 6000', 'rows: 1500000'));
  return file;
}

/** Starts `run`, waits for the search row, sends `signal`; returns the exit code, stdout and whether data was loaded. */
async function interruptWhileLoading(args: string[], db: string, signal: NodeJS.Signals) {
  const child = embnasAsync(args);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const t0 = Date.now();
  while (queryDb(db, 'SELECT id FROM searches').length === 0 && Date.now() - t0 < 60_000)
    await new Promise((r) => setTimeout(r, 10));
  child.kill(signal);
  const code = await exited;
  const loaded = queryDb(db, "SELECT id FROM events WHERE kind = 'dataset'").length > 0;
  return { code, out, loadedBeforeSignal: loaded && signal === 'SIGKILL' };
}

const completed = (db: string) =>
  queryDb<{ n: number }>(db, "SELECT count(*) AS n FROM trials WHERE status = 'completed'")[0]?.n ?? 0;
const quick = ['--workers', '1', '--trials', '2', '--max-batches', '1', '--no-tui'];

describe('a search stopped while its data loads', () => {
  it('is resumable after SIGKILL, and the same run command continues it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-early-'));
    const space = slowSpace(dir);
    for (const how of ['resume', 'run'] as const) {
      const db = path.join(dir, `${how}.db`);
      const r = await interruptWhileLoading(['run', space, '--db', db, ...quick], db, 'SIGKILL');
      expect(r.code).toBe(null);
      expect(r.loadedBeforeSignal).toBe(false);
      expect(queryDb(db, "SELECT kind FROM events WHERE kind = 'started'")).toHaveLength(1);
      const again =
        how === 'resume'
          ? embnas(['resume', 'tiny', '--db', db, '--max-batches', '1', '--no-tui'])
          : embnas(['run', space, '--db', db, ...quick]);
      expect(again.code, again.stderr).toBe(0);
      if (how === 'run') expect(again.stderr).toContain("continuing search 'tiny'");
      expect(completed(db)).toBe(2);
    }
  }, 300_000);

  it('stops on SIGINT with exit code 130 and the command that resumes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-early-int-'));
    const db = path.join(dir, 'int.db');
    const r = await interruptWhileLoading(['run', slowSpace(dir), '--db', db, ...quick], db, 'SIGINT');
    expect(r.code).toBe(130);
    expect(r.out).toContain(`embnas resume tiny --db ${db}`);
    expect(completed(db)).toBe(0);
    const resumed = embnas(['resume', 'tiny', '--db', db, '--max-batches', '1', '--no-tui']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(completed(db)).toBe(2);
  }, 300_000);

  it('after a signal in the first moments (before or after the row exists), the same run command completes it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-first-'));
    const space = path.resolve('test/fixtures/tiny-synthetic.yaml');
    for (const [delay, signal] of [
      [0, 'SIGINT'],
      [150, 'SIGTERM'],
      [400, 'SIGINT'],
      [900, 'SIGTERM'],
    ] as const) {
      const db = path.join(dir, `first-${delay}.db`);
      const child = embnasAsync(['run', space, '--db', db, ...quick]);
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await new Promise((r) => setTimeout(r, delay));
      child.kill(signal);
      const code = await exited;
      // Before main.ts runs Node's default ends the process (no code); after, 130 / 143; a search stopped early too.
      expect([null, 130, 143]).toContain(code);
      const again = embnas(['run', space, '--db', db, ...quick]);
      expect(again.code, again.stderr).toBe(0);
      expect(completed(db)).toBe(2);
    }
  }, 300_000);
});
