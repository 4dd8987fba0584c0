/** The renderer's promise: a failure of the machine, whoever throws it, is one line and exit code 1; a bug is exit 2. */
import { describe, expect, it } from 'vitest';
import { noteDatabaseFile } from '../../src/environment-error.js';
import { EXIT_BUG, EXIT_USAGE, renderError } from '../../src/cli/render-error.js';

function coded(code: string, message = 'failed', path?: string): Error {
  return Object.assign(new Error(message), { code, ...(path ? { path } : {}) });
}

function rendered(e: unknown): { code: number; text: string } {
  let text = '';
  const code = renderError(e, (t) => (text += t));
  return { code, text };
}

describe('renderError', () => {
  it('1. errno codes of a write are one line naming the path', () => {
    const cases: [string, RegExp][] = [
      ['ENOSPC', /^embnas: \/d\/f: no space left on the device \(ENOSPC\) — free some space/],
      ['EROFS', /^embnas: \/d\/f: the file system is read-only \(EROFS\)/],
      ['EACCES', /^embnas: \/d\/f: permission denied \(EACCES\)/],
      ['EPERM', /^embnas: \/d\/f: permission denied \(EPERM\)/],
      ['ENOENT', /^embnas: \/d\/f: no such file or folder \(ENOENT\)/],
      ['EISDIR', /^embnas: \/d\/f: is a folder, not a file \(EISDIR\)/],
    ];
    for (const [code, line] of cases) {
      const r = rendered(coded(code, 'x', '/d/f'));
      expect(r.code, code).toBe(EXIT_USAGE);
      expect(r.text, code).toMatch(line);
      expect(r.text.trim().split('\n'), code).toHaveLength(1);
    }
  });

  it('2. SQLite codes name the trial database this process opened', () => {
    noteDatabaseFile('runs/t.db');
    const cases: [string, RegExp][] = [
      [
        'SQLITE_FULL',
        /trial database runs\/t\.db: the disk is full \(SQLITE_FULL\) — free some space, .*embnas resume/,
      ],
      [
        'SQLITE_READONLY',
        /trial database runs\/t\.db is read-only \(SQLITE_READONLY\) — make the file and its folder writable/,
      ],
      ['SQLITE_READONLY_DIRECTORY', /is read-only \(SQLITE_READONLY_DIRECTORY\)/],
      ['SQLITE_CANTOPEN', /cannot open trial database runs\/t\.db \(SQLITE_CANTOPEN\)/],
      ['SQLITE_BUSY', /trial database runs\/t\.db stayed locked by another process \(SQLITE_BUSY\) — wait/],
      ['SQLITE_IOERR_WRITE', /trial database runs\/t\.db: disk I\/O error \(SQLITE_IOERR_WRITE/],
    ];
    for (const [code, line] of cases) {
      const r = rendered(coded(code));
      expect(r.code, code).toBe(EXIT_USAGE);
      expect(r.text, code).toMatch(line);
    }
  });

  it('3. anything else is still a bug, with its stack', () => {
    for (const e of [
      new TypeError('x is undefined'),
      coded('SQLITE_CONSTRAINT_UNIQUE'),
      coded('ERR_INVALID_ARG_TYPE'),
    ]) {
      const r = rendered(e);
      expect(r.code).toBe(EXIT_BUG);
      expect(r.text).toMatch(/internal error — this is a bug/);
    }
  });
});
