/**
 * `resume` trains on the rows the search started with: changed data is refused with one line, restored data resumes.
 * On another machine (or after the files moved) `--space` names this machine's copy of the space file.
 */
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embnas } from '../e2e/cli.js';

let dir: string;
const csv = (rows: number) =>
  [
    'y,user,item',
    ...Array.from({ length: rows }, (_, i) => `${(i * 7) % 3 === 0 ? 1 : 0},u${i % 23},i${(i * 5) % 31}`),
  ].join('\n') + '\n';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-resume-data-'));
  writeFileSync(path.join(dir, 'clicks.csv'), csv(600));
  writeFileSync(
    path.join(dir, 'space.yaml'),
    [
      'name: clicks',
      'data: { format: csv, path: clicks.csv, label: y, split: { valid: 0.2, test: 0.1, seed: 1 } }',
      'features: { dims: [0, 2, 4], normBudgets: [0] }',
      'model: { tower: [8], batchSize: 128, epochs: 1 }',
      'reward: { budgetMB: 1 }',
      'search: { controller: random, trials: 2, batch: 2, seed: 3 }',
    ].join('\n') + '\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resume on changed data', () => {
  it('refuses with what changed and how to start anew, then resumes once the data is restored', () => {
    const db = path.join(dir, 'trials.db');
    const env = { EMBNAS_CACHE_DIR: path.join(dir, 'cache') };
    const run = embnas(['run', path.join(dir, 'space.yaml'), '--db', db, '--no-tui', '--workers', '1'], env);
    expect(run.code, run.stderr).toBe(0);

    const original = readFileSync(path.join(dir, 'clicks.csv'));
    writeFileSync(path.join(dir, 'clicks.csv'), csv(1500));
    const refused = embnas(['resume', 'clicks', '--db', db, '--trials', '4', '--no-tui', '--workers', '1'], env);
    expect(refused.code).toBe(1);
    const errors = refused.stderr.split('\n').filter((l) => l.startsWith('embnas:')); // after the progress line of the load
    expect(errors).toHaveLength(1);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(refused.stderr).toMatch(
      /data of search 'clicks' changed since it started: clicks\.csv changed \(.* bytes.*600 rows then, 1,500 now\)/,
    );
    expect(refused.stderr).toMatch(/embnas run .*space\.yaml --name/);

    writeFileSync(path.join(dir, 'clicks.csv'), original); // the same rows again (a newer mtime does not matter)
    const resumed = embnas(['resume', 'clicks', '--db', db, '--trials', '4', '--no-tui', '--workers', '1'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const shown = JSON.parse(embnas(['show', 'clicks', '--db', db, '--json']).stdout);
    expect(shown.search.counts.completed).toBe(4);
  }, 180_000);
});

describe('resume where the space file is not where the search started', () => {
  it('says to pass --space, refuses a copy that is not the same space, and resumes from a copy that is', () => {
    const here = mkdtempSync(path.join(tmpdir(), 'embnas-resume-space-'));
    const first = path.join(here, 'first');
    cpSync(dir, first, { recursive: true, filter: (f) => !/trials\.db|cache/.test(f) });
    const db = path.join(here, 'trials.db');
    const env = { EMBNAS_CACHE_DIR: path.join(here, 'cache') };
    const quick = ['--db', db, '--no-tui', '--workers', '1'];
    expect(embnas(['run', path.join(first, 'space.yaml'), ...quick], env).code).toBe(0);
    // The files move (or this is another machine with its own copy elsewhere).
    const moved = path.join(here, 'moved');
    renameSync(first, moved);
    const resume = (...extra: string[]) => embnas(['resume', 'clicks', ...quick, '--trials', '4', ...extra], env);

    const missing = resume();
    expect(missing.code).toBe(1);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    expect(missing.stderr).toMatch(/search 'clicks': its space file .*first.space\.yaml .* is not on this machine/);
    expect(missing.stderr).toMatch(/pass --space <file>/);

    const edited = path.join(moved, 'edited.yaml');
    writeFileSync(edited, readFileSync(path.join(moved, 'space.yaml'), 'utf8').replace('seed: 3', 'seed: 4'));
    const wrong = resume('--space', edited);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/--space .*edited\.yaml: not the space search 'clicks' started with/);

    const resumed = resume('--space', path.join(moved, 'space.yaml'));
    expect(resumed.code, resumed.stderr).toBe(0);
    const shown = JSON.parse(embnas(['show', 'clicks', '--db', db, '--json']).stdout);
    expect(shown.search.counts.completed).toBe(4);
    rmSync(here, { recursive: true, force: true });
  }, 180_000);
});
