/**
 * Failures of the machine are the user's to fix: one line naming the path and what to do, exit code 1, never the
 * "this is a bug" stack of exit code 2. Read-only commands work on a database they cannot write. A full disk during
 * a search leaves it resumable. The cases that need root (a tmpfs to fill, a read-only mount) or a non-root user (a
 * chmod 444 file) run as whichever the machine allows and are skipped otherwise.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, embnas } from '../e2e/cli.js';

const SPACE = path.resolve('test/fixtures/tiny-synthetic.yaml');
const isRoot = process.getuid?.() === 0;
let dir: string;
let db: string;

/** The CLI as an unprivileged user: as root, the `nobody` user (root ignores file permissions). */
function embnasAsUser(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: tmpdir(),
    env: { ...process.env, CI: 'true' },
    timeout: 300_000,
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectOneLine(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('embnas: ')),
    r.stderr,
  ).toEqual([expect.stringMatching(pattern)]);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'embnas-env-'));
  db = path.join(dir, 'trials.db');
  const r = embnas(['run', SPACE, '--db', db, '--trials', '2', '--no-tui']);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('environment errors', () => {
  it('1. export --out to a missing folder or to a folder names the path', () => {
    const missing = path.join(dir, 'no', 'such', 'best.json');
    expectOneLine(
      embnas(['export', 'tiny', '--db', db, '--out', missing]),
      new RegExp(`${missing}: no such file or folder \\(ENOENT\\) — create the folder`),
    );
    expectOneLine(
      embnas(['export', 'tiny', '--db', db, '--out', dir]),
      new RegExp(`${dir}: is a folder, not a file \\(EISDIR\\)`),
    );
  });

  it('2. a database in a folder that does not exist is one line', () => {
    expectOneLine(
      embnas(['run', SPACE, '--db', path.join(dir, 'none', 't.db'), '--no-tui']),
      /cannot create trial database .*none\/t\.db — check that its folder exists/,
    );
  });

  it('3. a YAML alias bomb is one line naming the file', () => {
    const file = path.join(dir, 'bomb.yaml');
    const level = (name: string, of: string) => `${name}: &${name} [${Array(10).fill(`*${of}`).join(', ')}]\n`;
    writeFileSync(
      file,
      `a: &a [x, x, x, x, x, x, x, x, x, x]\n${level('b', 'a')}${level('c', 'b')}${level('d', 'c')}${level('e', 'd')}${level('f', 'e')}`,
    );
    expectOneLine(embnas(['run', file, '--db', db, '--no-tui']), new RegExp(`${file}: too many YAML alias expansions`));
  });

  it("4. --name is held to the same rule as a space's name:", () => {
    expectOneLine(
      embnas(['run', SPACE, '--db', db, '--name', 'a b/c', '--no-tui']),
      /--name: "a b\/c" is not a valid search name \(letters, digits/,
    );
  });

  it('5. list, show and export read a chmod 444 database in a read-only folder; resume says it is read-only', () => {
    chmodSync(dir, 0o755); // mkdtemp's folder is private; the other user must reach the one inside it
    const ro = path.join(dir, 'ro');
    mkdirSync(ro);
    const file = path.join(ro, 'trials.db');
    copyFileSync(db, file);
    chmodSync(file, 0o444);
    chmodSync(ro, 0o555);
    try {
      for (const args of [['list'], ['show', 'tiny'], ['export', 'tiny']]) {
        const r = embnasAsUser([...args, '--db', file]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(/tiny|"features"/);
      }
      expectOneLine(
        embnasAsUser(['resume', 'tiny', '--db', file, '--trials', '3', '--no-tui']),
        new RegExp(
          `trial database ${file} is read-only \\(SQLITE_READONLY.*\\) — make the file and its folder writable`,
        ),
      );
    } finally {
      chmodSync(ro, 0o755);
    }
  }, 60_000);
});

/** A small tmpfs to fill up and to remount read-only: needs root and a kernel that lets this process mount. */
function mountTmpfs(size: string): string | undefined {
  if (!isRoot) return undefined;
  const at = mkdtempSync(path.join(tmpdir(), 'embnas-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at]);
  if (r.status !== 0) {
    rmSync(at, { recursive: true, force: true });
    return undefined;
  }
  return at;
}

function unmount(at: string): void {
  spawnSync('umount', [at]);
  rmSync(at, { recursive: true, force: true });
}

function free(at: string): number {
  return Number(spawnSync('df', ['-B1', '--output=avail', at], { encoding: 'utf8' }).stdout.trim().split('\n').at(-1));
}

const canMount = (() => {
  const at = mountTmpfs('64k');
  if (at) unmount(at);
  return at !== undefined;
})();

describe.skipIf(!canMount)('on a full or read-only disk (a tmpfs)', () => {
  it('6. a full disk during a search is one line, and the search resumes once there is space', () => {
    const at = mountTmpfs('512k')!;
    try {
      const file = path.join(at, 'trials.db');
      copyFileSync(db, file);
      const filler = path.join(at, 'filler');
      writeFileSync(filler, Buffer.alloc(Math.max(0, free(at) - 48 * 1024)));
      expectOneLine(
        embnas(['resume', 'tiny', '--db', file, '--trials', '40', '--no-tui']),
        new RegExp(`trial database ${file}: (the disk is full \\(SQLITE_FULL\\)|disk I/O error)`),
      );
      rmSync(filler);
      const r = embnas(['resume', 'tiny', '--db', file, '--trials', '8', '--no-tui']);
      expect(r.code, r.stderr).toBe(0);
      const list = JSON.parse(embnas(['list', '--db', file, '--json']).stdout);
      expect(list[0]).toMatchObject({ name: 'tiny', status: 'finished' });
    } finally {
      unmount(at);
    }
  }, 120_000);

  it('7. export --out on a read-only mount says so; show reads a database there', () => {
    const at = mountTmpfs('1m')!;
    try {
      const file = path.join(at, 'trials.db');
      copyFileSync(db, file);
      expect(spawnSync('mount', ['-o', 'remount,ro', at]).status).toBe(0);
      expectOneLine(
        embnas(['export', 'tiny', '--db', file, '--out', path.join(at, 'best.json')]),
        new RegExp(`${at}/best\\.json: the file system is read-only \\(EROFS\\)`),
      );
      const r = embnas(['show', 'tiny', '--db', file]);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      unmount(at);
    }
  }, 60_000);
});
