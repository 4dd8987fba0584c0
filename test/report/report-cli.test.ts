/** `embnas report` as a user runs it: it writes the file from a read-only store, and its mistakes are one line. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, embnas } from '../e2e/cli.js';
import { reportStore } from './fixtures.js';

let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-report-cli-'));
  db = path.join(dir, 'trials.db');
  reportStore(db).store.core.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embnas report', () => {
  it('writes one HTML file with the search in it and says where', () => {
    const out = path.join(dir, 'r.html');
    const r = embnas(['report', 'rep', '--db', db, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote the report of search 'rep' \(5 finished trials, .*\) to .*r\.html/);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("search 'rep'");
  });

  it('defaults the file name to <search>-report.html in the current folder', () => {
    const r = spawnSync(process.execPath, [CLI, 'report', '1', '--db', db], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'rep-report.html'))).toBe(true);
  });

  it('answers an unknown search, a missing database and an unwritable --out with one line and exit code 1', () => {
    for (const args of [
      ['report', 'nope', '--db', db],
      ['report', 'rep', '--db', path.join(dir, 'none.db')],
      ['report', 'rep', '--db', db, '--out', path.join(dir, 'no', 'such', 'r.html')],
    ]) {
      const r = embnas(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
