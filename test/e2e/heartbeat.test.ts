/**
 * The owner's heartbeat goes on through a long data load and the one-shot supernet phase, not only between trials
 * (src/search/heartbeat.ts): with a staleness window of 3 s, a `resume` tried again and again while a search loads
 * a million and a half rows and trains its supernet (rounds of many seconds without a yield) is refused every time —
 * had a beat been missed for 3 s, it would have taken the search over. Killed then, the search is listed as interrupted.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embnas, embnasAsync, queryDb } from './cli.js';

const WINDOW = { EMBNAS_HEARTBEAT_TIMEOUT_S: '3' };

describe('the heartbeat of a running search', () => {
  it('keeps a long load and a supernet phase owned: every resume meanwhile is refused in one line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-heartbeat-'));
    const space = path.join(dir, 'long.yaml');
    // No warm-up (a unit per batch) and a few long rounds: each round trains thousands of batches without yielding
    // to the event loop, so only the heartbeat's ticks from inside the round keep the owner alive.
    const text = readFileSync('test/fixtures/tiny-oneshot.yaml', 'utf8').replace('rows: 6000', 'rows: 1500000');
    writeFileSync(space, text.replace('warmupEpochs: 1, rounds: 40', 'warmupEpochs: 0, rounds: 8'));
    const db = path.join(dir, 'hb.db');
    const child = embnasAsync(['run', space, '--db', db, '--workers', '1', '--no-tui'], WINDOW);
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r((exitCode = code))));
    const t0 = Date.now();
    while (queryDb(db, 'SELECT id FROM searches').length === 0 && Date.now() - t0 < 60_000)
      await new Promise((r) => setTimeout(r, 10));
    const phases = new Set<string>();
    for (let attempt = 0; attempt < 4; attempt++) {
      await new Promise((r) => setTimeout(r, 1500));
      phases.add(queryDb(db, "SELECT id FROM events WHERE kind = 'dataset'").length > 0 ? 'supernet' : 'loading');
      const rival = embnas(['resume', 'tiny-oneshot', '--db', db, '--no-tui'], WINDOW);
      expect(exitCode, 'the search ended before the test was done with it').toBeUndefined();
      expect(rival.code, rival.stderr).toBe(1);
      expect(rival.stderr).toMatch(
        /^embnas: search 'tiny-oneshot' is being run by pid \d+ on host .+, run [0-9a-f]{8} \(last heartbeat \d s ago\) — stop it first or wait: a run whose heartbeat is 3 s old counts as gone/,
      );
    }
    expect(phases.has('supernet'), 'no attempt came during the supernet phase').toBe(true);
    // Killed mid-round (a graceful stop would wait for the round to end): the owner is gone, the search interrupted.
    child.kill('SIGKILL');
    await exited;
    expect(embnas(['list', '--db', db]).stdout).toContain(
      `tiny-oneshot: interrupted — resume with \`embnas resume tiny-oneshot --db ${db}\``,
    );
  }, 300_000);
});
