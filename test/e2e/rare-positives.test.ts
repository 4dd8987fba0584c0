/**
 * Click data with rare positives through the CLI (a click-fraud log: 0.4 % of the rows are a conversion):
 *
 * 1. a one-shot search whose 200-row validation windows mostly hold no positive finishes (exit 0): its windows grow
 *    until they hold both classes;
 * 2. a per-trial search on the same data finishes too;
 * 3. a valid split without any positive is one line (exit 1) naming the split and what to do, in either mode.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embnas, queryDb } from './cli.js';

let dir: string;

/** 6,000 rows, one in 250 positive (most of them from app a1); `lastPositive`: no positive after that row. */
function clicks(lastPositive = Infinity): string {
  const rows = Array.from({ length: 6000 }, (_, i) => {
    const positive = i % 250 === 7 && i <= lastPositive;
    const app = positive && i % 1000 !== 7 ? 1 : (i * 7) % 13;
    return `${positive ? 1 : 0},a${app},o${(i * 3) % 11},c${(i * 5) % 29}`;
  });
  return ['is_attributed,app,os,channel', ...rows].join('\n') + '\n';
}

function space(name: string, file: string, split: string): string {
  return [
    `name: ${name}`,
    `data: { format: csv, path: ${file}, label: is_attributed, split: ${split}, cache: false }`,
    'features: { dims: [0, 2, 4], normBudgets: [0] }',
    'model: { tower: [8], batchSize: 128, lr: 0.01, epochs: 1 }',
    'reward: { budgetMB: 1 }',
    'search:',
    '  { mode: oneshot, controller: reinforce, trials: 2, finalists: 2, batch: 2, seed: 3,',
    '    oneshot: { epochs: 2, rounds: 20, scoreSamples: 3, windowRows: 200, rescore: 4, refine: 4 } }',
  ].join('\n');
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-rare-'));
  writeFileSync(path.join(dir, 'clicks.csv'), clicks());
  writeFileSync(path.join(dir, 'rare.yaml'), space('rare', 'clicks.csv', '{ valid: 0.2, test: 0.1, seed: 1 }'));
  // The valid split is the file's last 20 %, after the last positive.
  writeFileSync(path.join(dir, 'late.csv'), clicks(4000));
  writeFileSync(path.join(dir, 'none.yaml'), space('none', 'late.csv', '{ valid: 0.2, test: 0.1, by: file }'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (file: string, db: string, ...more: string[]) =>
  embnas(['run', path.join(dir, file), '--db', path.join(dir, db), '--workers', '1', '--no-tui', ...more]);

describe('rare positives through the CLI', () => {
  it('1: a one-shot search finishes, every proxy reward scored', () => {
    const r = run('rare.yaml', 'oneshot.db');
    expect(r.code, r.stderr).toBe(0);
    const [event] = queryDb<{ payload: string }>(
      path.join(dir, 'oneshot.db'),
      "SELECT payload FROM events WHERE kind = 'oneshot_finished'",
    );
    const ranked = (JSON.parse(event.payload) as { ranked: { auc: number }[] }).ranked;
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked.every((x) => Number.isFinite(x.auc))).toBe(true);
    const statuses = queryDb<{ status: string }>(path.join(dir, 'oneshot.db'), 'SELECT status FROM trials');
    expect(statuses.map((t) => t.status)).toEqual(['completed', 'completed']);
  }, 180_000);

  it('2: a per-trial search on the same data finishes', () => {
    const r = run('rare.yaml', 'pertrial.db', '--mode', 'pertrial', '--controller', 'random');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/done 2\/2 trials .*2 completed/);
  }, 180_000);

  it('3: a valid split without a positive is one line, exit 1, in either mode', () => {
    for (const mode of ['oneshot', 'pertrial']) {
      const r = run('none.yaml', `none-${mode}.db`, '--mode', mode);
      expect(r.code, r.stderr).toBe(1);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('embnas:'));
      expect(errors, r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(errors[0]).toMatch(
        /the valid split of \S*late\.csv has only negative labels \(1200 rows\).*give the valid split more rows/,
      );
    }
  }, 180_000);
});
