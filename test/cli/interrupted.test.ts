/**
 * `list` and `show` call a search whose owner is gone "interrupted", with the command that resumes it (store
 * promise 11: a dead pid on this host, or a heartbeat older than the window whatever process has the pid); a search
 * with a live owner stays "running". The database is written through the store; the commands run from dist/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { embnas } from '../e2e/cli.js';
import { deadPid, makeSearch } from '../store/fixtures.js';

describe('an interrupted search', () => {
  it('is shown as interrupted, with its resume command, by list, show and show --json', () => {
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'embnas-interrupted-')), 't.db');
    const store = openSqliteStore(db);
    const killed = store.core.createSearch(makeSearch('killed'));
    store.core.acquire(killed.id, { pid: deadPid(), host: store.core.host });
    const stale = store.core.createSearch(makeSearch('stale'));
    store.core.acquire(stale.id, { pid: process.ppid, host: store.core.host }); // a live pid, but its heartbeat is old
    store.db.prepare('UPDATE searches SET heartbeat_at = ? WHERE id = ?').run(Date.now() - 31_000, stale.id);
    const live = store.core.createSearch(makeSearch('live'));
    store.core.acquire(live.id, { pid: process.ppid, host: store.core.host });
    store.core.close();

    const list = embnas(['list', '--db', db]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/killed\s+interrupted/);
    expect(list.stdout).toMatch(/stale\s+interrupted/);
    expect(list.stdout).toMatch(/live\s+running/);
    expect(list.stdout).toContain(`killed: interrupted — resume with \`embnas resume killed --db ${db}\``);
    expect(list.stdout).not.toContain('live: ');
    const json = JSON.parse(embnas(['list', '--db', db, '--json']).stdout) as {
      name: string;
      status: string;
      resumeWith?: string;
    }[];
    expect(json.map((s) => [s.name, s.status, s.resumeWith])).toEqual([
      ['killed', 'interrupted', `embnas resume killed --db ${db}`],
      ['stale', 'interrupted', `embnas resume stale --db ${db}`],
      ['live', 'running', undefined],
    ]);
    const show = embnas(['show', 'stale', '--db', db]);
    expect(show.stdout.split('\n')[0]).toBe(
      `search 2 'stale' — interrupted — resume with \`embnas resume stale --db ${db}\`, 0 completed, 0 failed, 0 queued of 10; seed 42; 0 cache hits`,
    );
    const shown = JSON.parse(embnas(['show', 'killed', '--db', db, '--json']).stdout) as {
      search: { status: string; resumeWith: string };
    };
    expect(shown.search).toMatchObject({ status: 'interrupted', resumeWith: `embnas resume killed --db ${db}` });
    expect(JSON.parse(embnas(['show', 'live', '--db', db, '--json']).stdout).search.status).toBe('running');
  });
});
