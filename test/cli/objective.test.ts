/**
 * The objective in sight in `list` and `show`: the reward with its budget and λ, the penalty beside AUC and reward,
 * and "best" = the highest reward, whose AUC is printed with it — never the highest AUC of another trial.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embnas } from '../e2e/cli.js';
import { reportStore } from '../report/fixtures.js';

let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-objective-'));
  db = path.join(dir, 'trials.db');
  reportStore(db).store.core.close(); // trial 1 has the highest AUC (0.78) but is over budget; trial 4 has the best reward
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the objective in list and show', () => {
  it('list: the objective, and the best reward with its own trial, AUC and memory', () => {
    const r = embnas(['list', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const [header, row, note] = r.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'id',
      'name',
      'status',
      'trials',
      'failed',
      'objective',
      'best reward',
      'trial',
      'AUC',
      'memory',
      'created',
    ]);
    expect(row).toContain('hinge 0.004 MB λ 0.1');
    expect(row).toMatch(/0\.7400\s+4\s+0\.7400\s+3\.90 KB/);
    expect(row).not.toContain('0.7800');
    expect(note).toMatch(/^best = the trial with the highest reward/);
  });

  it('show: the formula, and a penalty column that explains the ranking', () => {
    const r = embnas(['show', 'rep', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('objective: reward = AUC − 0.1·max(0, memory/0.004 MB − 1); best = highest reward');
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('best '));
    expect(lines[at + 1].split(/\s+/).slice(0, 5)).toEqual(['trial', 'AUC', 'memory', 'penalty', 'reward']);
    // Trial 1: AUC 0.78 at 6000 B pays 0.1·(6000/4000 − 1) = 0.05 and ranks below trial 4.
    expect(lines[at + 2].trim().split(/\s+/).slice(0, 6)).toEqual(['4', '0.7400', '3.90', 'KB', '0.0000', '0.7400']);
    expect(lines[at + 3].trim().split(/\s+/).slice(0, 6)).toEqual(['1', '0.7800', '6.00', 'KB', '0.0500', '0.7300']);
  });
});
