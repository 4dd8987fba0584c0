/**
 * The terminal UI as a person sees it: `embnas run` in a real pseudo-terminal (tmux), progress bars and the
 * leaderboard on the screen, `q` to stop, the resume command on the last screen, then `embnas resume` to the end.
 * On the wasm backend: the native one trains these trials so fast that the search can end before a screen is caught.
 */
import { connect } from '../../src/store/sqlite/sqlite-connection.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandRuns, requireOrSkip } from '../require.js';
import { CLI } from './cli.js';

const hasTmux = requireOrSkip(
  commandRuns('tmux', '-V'),
  'tmux (the pseudo-terminal of this test)',
  'apt-get install tmux',
);

// A tmux server of this test's own (-S), and a new session per launch: killing the only session makes the server
// exit, and a session started at that moment meets the dying server ("server exited unexpectedly").
const folder = hasTmux ? mkdtempSync(path.join(tmpdir(), 'embnas-tui-')) : '';
const socket = path.join(folder, 'tmux.sock');
let session = '';
let launches = 0;
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);

async function waitFor(what: string, test: (s: string) => boolean, ms = 120_000): Promise<string> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < ms) {
    last = screen();
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
}

function launch(cmd: string): void {
  session = `run-${++launches}`;
  // CI is unset so the program sees nothing but the terminal it runs in (in CI it would print plain lines).
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '45', `${cmd}; echo "EXIT=$?"; sleep 300`);
}

describe.skipIf(!hasTmux)('terminal UI in a pseudo-terminal', () => {
  afterAll(() => {
    spawnSync('tmux', ['-S', socket, 'kill-server']);
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows progress and the leaderboard, stops on q with the resume command, and resumes', async () => {
    const db = path.join(folder, 'tui.db');
    const node = process.execPath;
    launch(
      `cd ${JSON.stringify(process.cwd())} && env -u CI ${node} ${CLI} run test/fixtures/tui-synthetic.yaml --db ${db} --trials 12 --backend wasm`,
    );

    const live = await waitFor(
      'a progress bar and a leaderboard',
      (s) => /▕[█▏▎▍▌▋▊▉░]+▏/.test(s) && /rows\/s/.test(s) && /#\s+trial\s+AUC/.test(s),
    );
    expect(live).toMatch(/watch .*seed 11/);
    expect(live).toMatch(/trials \d+\/12/);

    tmux('send-keys', '-t', session, 'q');
    const end = await waitFor('the exit', (s) => /EXIT=\d+/.test(s), 60_000);
    expect(end).toMatch(/EXIT=0/);
    expect(end).toContain(`embnas resume watch --db ${db}`);
    const stopped = connect(db, { readonly: true });
    const done = (stopped.prepare("SELECT count(*) AS n FROM trials WHERE status = 'completed'").get() as { n: number })
      .n;
    const running = (
      stopped.prepare("SELECT count(*) AS n FROM trials WHERE status = 'running'").get() as { n: number }
    ).n;
    stopped.close();
    expect(done).toBeLessThan(12);
    expect(running).toBe(0);

    launch(`cd ${JSON.stringify(process.cwd())} && env -u CI ${node} ${CLI} resume watch --db ${db} --backend wasm`);
    const finished = await waitFor('the resumed search to finish', (s) => /EXIT=\d+/.test(s));
    expect(finished).toMatch(/EXIT=0/);
    expect(finished).toMatch(/trials 12\/12/);
    const after = connect(db, { readonly: true });
    expect(
      (after.prepare("SELECT count(*) AS n FROM trials WHERE status = 'completed'").get() as { n: number }).n,
    ).toBe(12);
    after.close();
  }, 300_000);
});
