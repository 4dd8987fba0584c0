/**
 * SIGHUP — the terminal closed, an ssh session dropped — stops a search as SIGTERM does (src/cli/signals.ts): the
 * running trials go back to the queue, the search is recorded `stopped` (an event says so), the process ends with
 * 129, and `embnas resume` finishes it. Once sent with `kill -HUP`, once by closing a real pseudo-terminal (tmux),
 * where the terminal is gone by the time the process exits.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandRuns, requireOrSkip } from '../require.js';
import { CLI, embnas, embnasAsync, queryDb } from './cli.js';

const SPACE = path.resolve('test/fixtures/tiny-synthetic.yaml');
const dir = mkdtempSync(path.join(tmpdir(), 'embnas-hangup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (db: string, status: string) =>
  queryDb<{ n: number }>(db, `SELECT count(*) AS n FROM trials WHERE status = '${status}'`)[0]?.n ?? 0;

async function until(what: string, test: () => boolean, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The stop is recorded, nothing is left running, and a resume trains the rest to the budget. */
function expectStoppedAndResumable(db: string): void {
  expect(queryDb(db, 'SELECT status FROM searches')).toEqual([{ status: 'stopped' }]);
  expect(queryDb(db, "SELECT kind FROM events WHERE kind = 'stopped'")).toHaveLength(1);
  expect(count(db, 'running')).toBe(0);
  // Two more than were proposed: the ones handed back to the queue, then two new ones.
  const budget = queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM trials')[0].n + 2;
  const r = embnas(['resume', 'tiny', '--db', db, '--trials', String(budget), '--max-batches', '1', '--no-tui']);
  expect(r.code, r.stderr).toBe(0);
  expect(count(db, 'completed')).toBe(budget);
}

describe('SIGHUP', () => {
  it('stops a search like SIGTERM: exit 129, the stop recorded, resumable', async () => {
    const db = path.join(dir, 'kill.db');
    const child = embnasAsync(['run', SPACE, '--db', db, '--trials', '2000', '--max-batches', '1', '--no-tui']);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until('a completed trial', () => count(db, 'completed') > 0);
    child.kill('SIGHUP');
    expect(await exited).toBe(129);
    expect(out).toContain(`resume with: embnas resume tiny --db ${db}`);
    expectStoppedAndResumable(db);
  }, 300_000);

  const hasTmux = requireOrSkip(commandRuns('tmux', '-V'), 'tmux (a terminal to close)', 'apt-get install tmux');
  it.skipIf(!hasTmux)(
    'stops a search whose terminal closes, which then exits as a shell reports 129',
    async () => {
      const db = path.join(dir, 'pty.db');
      const exit = path.join(dir, 'exit.json');
      // A stand-in for the shell: it outlives the terminal to note how the program ended.
      const shell = path.join(dir, 'shell.cjs');
      writeFileSync(
        shell,
        "process.on('SIGHUP', () => {});\n" +
          "const c = require('child_process').spawn(process.argv[3], process.argv.slice(4), { stdio: 'inherit' });\n" +
          "c.on('exit', (code, signal) => require('fs').writeFileSync(process.argv[2], JSON.stringify({ code, signal })));\n",
      );
      const socket = path.join(dir, 'tmux.sock');
      const run = [CLI, 'run', SPACE, '--db', db, '--trials', '2000', '--max-batches', '1', '--backend', 'wasm'];
      const command = [process.execPath, shell, exit, process.execPath, ...run].map((a) => JSON.stringify(a)).join(' ');
      execFileSync('tmux', [
        '-S',
        socket,
        'new-session',
        '-d',
        '-s',
        'hup',
        '-x',
        '120',
        '-y',
        '45',
        `env -u CI ${command}`,
      ]);
      try {
        await until('a completed trial', () => count(db, 'completed') > 0);
        execFileSync('tmux', ['-S', socket, 'kill-server']); // the terminal closes: SIGHUP, then EIO on every write
        await until('the exit', () => spawnSync('test', ['-s', exit]).status === 0);
      } finally {
        spawnSync('tmux', ['-S', socket, 'kill-server']);
      }
      // Node cannot restore a closed terminal at exit (it aborts on Node 20 and 22): embnas ends by SIGHUP itself.
      const ended = JSON.parse(readFileSync(exit, 'utf8'));
      expect([
        { code: 129, signal: null },
        { code: null, signal: 'SIGHUP' },
      ]).toContainEqual(ended);
      expectStoppedAndResumable(db);
    },
    300_000,
  );
});
