/**
 * The promises of src/store/sqlite/sqlite-connection.ts: (1) nothing a connection made is left to the garbage collector (on
 * Node 24 collecting one can abort the process), (2) its pragma() answers as better-sqlite3's did, through the same
 * kept statements, (3) a better-sqlite3 that was not built (or was built for another Node.js) is one line, exit 1,
 * naming the module and the command that builds it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, connectionsKept, notBuilt } from '../../src/store/sqlite/sqlite-connection.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('sqlite connections', () => {
  it('1. a closed connection and every statement it prepared survive garbage collection', async () => {
    const before = connectionsKept();
    const refs: WeakRef<object>[] = [];
    (() => {
      const db = connect(':memory:');
      db.exec('CREATE TABLE t (a INTEGER)');
      for (let i = 0; i < 50; i++) refs.push(new WeakRef(db.prepare(`SELECT a + ${i} FROM t`)));
      refs.push(new WeakRef(db));
      db.close();
    })();
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(refs.filter((r) => r.deref() === undefined)).toHaveLength(0);
    expect(connectionsKept()).toBe(before + 1);
  });

  it('1. the same SQL text is one statement, run as often as asked', () => {
    const db = connect(':memory:');
    db.exec('CREATE TABLE t (a INTEGER)');
    const insert = db.prepare('INSERT INTO t (a) VALUES (?)');
    expect(db.prepare('INSERT INTO t (a) VALUES (?)')).toBe(insert);
    for (let i = 0; i < 3; i++) db.prepare('INSERT INTO t (a) VALUES (?)').run(i);
    expect(db.prepare('SELECT sum(a) AS s FROM t').get()).toEqual({ s: 3 });
    db.close();
  });

  it('2. pragma answers as better-sqlite3 does, through the kept statements', () => {
    const db = connect(':memory:');
    expect(db.pragma('foreign_keys = ON')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    db.pragma('user_version = 7');
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 7 });
    db.close();
  });

  it('3. a stale build is named with the command that rebuilds it; other errors are left alone', () => {
    const stale = new Error(
      "The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115.",
    );
    expect(notBuilt(stale)?.toLine()).toMatch(
      /better-sqlite3 .*built for another Node\.js.*npm rebuild better-sqlite3/,
    );
    expect(notBuilt(new Error('SQLITE_CANTOPEN: unable to open database file'))).toBeUndefined();
  });

  describe('3. a better-sqlite3 without its build', () => {
    // A copy of the built embnas whose node_modules links every package but better-sqlite3, copied without build/.
    const root = mkdtempSync(path.join(tmpdir(), 'embnas-unbuilt-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('is one line, exit 1, naming the module and the command that builds it', () => {
      cpSync('dist', path.join(root, 'dist'), { recursive: true });
      cpSync('package.json', path.join(root, 'package.json'));
      mkdirSync(path.join(root, 'node_modules'));
      for (const entry of readdirSync('node_modules')) {
        if (entry === 'better-sqlite3') continue;
        symlinkSync(path.resolve('node_modules', entry), path.join(root, 'node_modules', entry));
      }
      const copy = path.join(root, 'node_modules/better-sqlite3');
      mkdirSync(copy);
      for (const part of ['package.json', 'lib']) {
        cpSync(path.join('node_modules/better-sqlite3', part), path.join(copy, part), { recursive: true });
      }
      connect(path.join(root, 'trials.db')).close();
      const r = spawnSync(process.execPath, ['dist/cli/main.js', 'list', '--db', 'trials.db'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
      expect(r.status, r.stderr).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/better-sqlite3 .*was not built/);
      expect(lines[0]).toContain('npm rebuild better-sqlite3');
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    });
  });
});
